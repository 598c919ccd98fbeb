"""Folding text for matching, so that case, spacing and quote-mark styles do not matter.

Folding is a chain of rewrites of the whole string, each done by C-level string and regex
operations rather than character by character, and each recording where it changed the length
(an `OffsetMap`), so that every folded character still knows the code point it came from:

1. soft hyphens and zero-width characters (spaces, joiners, the byte-order mark) are dropped;
2. the text is composed to Unicode NFC, so a report in NFD reads like a quote in NFC;
3. each run of whitespace (no-break spaces too) becomes one space;
4. curly quotes, guillemets, primes, dashes and the minus sign become their ASCII forms;
5. case is folded (`str.casefold`, which may expand a character: "ß" becomes "ss").

The loose fold (`loosen`) then drops punctuation and symbols, spaces closing up. A new kind of
folding is one more rewrite with its own map; bumping `annotations.evidence.EVIDENCE_VERSION`
makes stored folds and evidence out of date.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import cache

QUOTE_MARKS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2039": "'",
    "\u203a": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "\uff02": '"',
    "\uff07": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2015": "-",
    "\ufe58": "-",
    "\ufe63": "-",
    "\uff0d": "-",
}
"""Characters written in their ASCII form. (The no-break space is whitespace, so step 1 covers it.)"""

INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
"""Soft hyphen, zero-width space, non-joiner and joiner, word joiner, byte-order mark."""
_INVISIBLE = re.compile(f"[{INVISIBLE}]+")

# A whitespace character that is not a lone space: a non-space one, or a space before more whitespace,
# with the rest of its run. Starting with a character class lets the regex engine skip ahead fast.
_SPACING = re.compile(r"\s(?:(?<=[^ ])|(?=\s))\s*")
_TRIM = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


@dataclass(frozen=True)
class OffsetMap:
    """Where one rewrite changed lengths: from `positions[k]` on, output index i came from i + `deltas[k]`."""

    positions: array[int] = field(default_factory=lambda: array("i"))
    deltas: array[int] = field(default_factory=lambda: array("i"))

    def origin(self, index: int) -> int:
        k = bisect.bisect_right(self.positions, index) - 1
        return index if k < 0 else index + self.deltas[k]

    def to_bytes(self) -> bytes:
        pairs = array("i", [len(self.positions)])
        pairs.extend(self.positions)
        pairs.extend(self.deltas)
        if sys.byteorder == "big":
            pairs.byteswap()
        return pairs.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> OffsetMap:
        pairs = array("i")
        pairs.frombytes(data)
        if sys.byteorder == "big":
            pairs.byteswap()
        count = pairs[0]
        return cls(pairs[1 : 1 + count], pairs[1 + count : 1 + 2 * count])


class _MapBuilder:
    def __init__(self) -> None:
        self.map = OffsetMap()
        self.delta = 0

    def shift(self, position: int, delta: int) -> None:
        """From output `position` on, the input index is the output index plus `delta`."""
        if delta == self.delta:
            return
        if self.map.positions and self.map.positions[-1] == position:
            self.map.deltas[-1] = delta
        else:
            self.map.positions.append(position)
            self.map.deltas.append(delta)
        self.delta = delta


@dataclass(frozen=True)
class Folded:
    """A folded string and the maps of the rewrites that made it, in the order they were made."""

    text: str
    maps: tuple[OffsetMap, ...]

    def origin(self, index: int) -> int:
        """The code point of the original text that folded character `index` came from."""
        for offsets in reversed(self.maps):
            index = offsets.origin(index)
        return index

    def find(self, needle: str) -> tuple[int, int] | None:
        """The first occurrence of a folded needle, as a span of the original text."""
        at = self.text.find(needle) if needle else -1
        if at == -1:
            return None
        return self.origin(at), self.origin(at + len(needle) - 1) + 1


def _collapse_spacing(text: str) -> tuple[str, OffsetMap]:
    pieces: list[str] = []
    offsets = _MapBuilder()
    done = removed = 0
    for run in _SPACING.finditer(text):
        start, end = run.span()
        pieces.append(text[done:start])
        pieces.append(" ")
        done = end
        if end - start > 1:
            removed += end - start - 1
            offsets.shift(end - removed, removed)
    if not pieces:
        return text, offsets.map
    pieces.append(text[done:])
    return "".join(pieces), offsets.map


def _drop_invisible(text: str) -> tuple[str, OffsetMap]:
    pieces: list[str] = []
    offsets = _MapBuilder()
    done = removed = 0
    for run in _INVISIBLE.finditer(text):
        start, end = run.span()
        pieces.append(text[done:start])
        done = end
        removed += end - start
        offsets.shift(end - removed, removed)
    if not pieces:
        return text, offsets.map
    pieces.append(text[done:])
    return "".join(pieces), offsets.map


@cache
def _composing() -> re.Pattern[str]:
    """A character and the run after it of characters that NFC may compose with what precedes them
    (combining marks, Hangul vowels and finals) or that NFC replaces (singletons)."""
    chars = [
        chr(c)
        for c in (*range(0x30000), *range(0xE0000, 0xE1000))  # no character above composes or decomposes
        if not 0xD800 <= c <= 0xDFFF
        and (unicodedata.combining(chr(c)) or 0x1160 <= c <= 0x11FF or unicodedata.normalize("NFC", chr(c)) != chr(c))
    ]
    return re.compile("(?s:.)?[" + "".join(re.escape(c) for c in chars) + "]+")


def _compose(text: str) -> tuple[str, OffsetMap]:
    """NFC, with each composed character coming from the first character it was made of."""
    offsets = _MapBuilder()
    if unicodedata.is_normalized("NFC", text):
        return text, offsets.map
    pieces: list[str] = []
    done = length = 0
    for run in _composing().finditer(text):
        start, end = run.span()
        composed = unicodedata.normalize("NFC", run.group())
        if len(composed) == end - start:
            continue
        pieces.append(text[done:start])
        length += start - done
        for k in range(len(composed)):
            offsets.shift(length + k, start + min(k, end - start - 1) - (length + k))
        pieces.append(composed)
        length += len(composed)
        offsets.shift(length, end - length)
        done = end
    pieces.append(text[done:])
    return "".join(pieces), offsets.map


def _plain_quote_marks(text: str) -> str:
    for mark, plain in QUOTE_MARKS.items():
        text = text.replace(mark, plain)
    return text


@cache
def _expanding() -> re.Pattern[str]:
    """Characters whose case fold is longer than one character (about a hundred)."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if len(chr(c).casefold()) != 1]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def _casefold(text: str) -> tuple[str, OffsetMap]:
    folded = text.casefold()
    offsets = _MapBuilder()
    if len(folded) == len(text):
        return folded, offsets.map
    added = 0
    for match in _expanding().finditer(text):
        at = match.start()
        width = len(match.group().casefold())
        for extra in range(1, width):
            offsets.shift(at + added + extra, -(added + extra))
        added += width - 1
        offsets.shift(at + added + 1, -added)
    return folded, offsets.map


def fold(text: str) -> Folded:
    visible, dropping = _drop_invisible(text)
    composed, composing = _compose(visible)
    spaced, spacing = _collapse_spacing(composed)
    folded, casing = _casefold(_plain_quote_marks(spaced))
    return Folded(folded, (dropping, composing, spacing, casing))


@cache
def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _punctuation_runs(text: str) -> re.Pattern[str] | None:
    """Runs of punctuation (Unicode categories P* and S*) and spaces, with at least one punctuation
    character, in this text. Folded text has no two spaces in a row, so a run starts with
    punctuation or with a space just before it. The class holds only the characters the text has:
    a class of all of Unicode's would make the search several times slower."""
    p = "".join(re.escape(char) for char in sorted(filter(_is_punctuation, set(text))))
    return re.compile(f"[ {p}](?:(?<=[{p}])|(?=[{p}]))[ {p}]*") if p else None


def loosen(folded: Folded) -> Folded:
    """Drop punctuation and symbols from folded text; of the spaces that meet, the first stays."""
    text = folded.text
    pieces: list[str] = []
    offsets = _MapBuilder()
    done = removed = 0
    runs = _punctuation_runs(text)
    for run in runs.finditer(text) if runs is not None else ():
        start, end = run.span()
        pieces.append(text[done:start])
        done = end
        space = text.find(" ", start, end)
        if space == -1:
            removed += end - start
            offsets.shift(end - removed, removed)
            continue
        pieces.append(" ")
        at = start - removed
        offsets.shift(at, removed + space - start)
        removed += end - start - 1
        offsets.shift(at + 1, removed)
    if not pieces:
        return Folded(text, (*folded.maps, offsets.map))
    pieces.append(text[done:])
    return Folded("".join(pieces), (*folded.maps, offsets.map))


def fold_needle(text: str, *, loose: bool = False) -> str:
    """A phrase folded like the text it is looked for in, without surrounding quote marks and spaces."""
    folded = fold(text.strip().strip(_TRIM).strip())
    return (loosen(folded) if loose else folded).text.strip()
