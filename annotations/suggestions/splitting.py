"""Sentences and clauses of reader text, as code-point spans (Python string indices are code points).

A sentence ends at . ! ? or … followed by space and a capital, a digit or an opening quote, unless
the word before is a known abbreviation or a single capital ("U.S."); a paragraph break always ends
one. A sentence is cut into clauses only where each side could stand alone: at a semicolon, a
spaced dash, or a comma before a contrasting conjunction ("but", "while", "mais", "pero", "aber").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")
_PARAGRAPH = re.compile(r"[^\n]+")
_OPENERS = "\"'“‘«„¿¡([-–—"
_ABBREVIATION_WORDS = """mr mrs ms dr prof st no nos vs etc jan feb mar apr jun jul aug sep sept oct nov dec gen gov
    sen rep rev col lt sgt capt corp inc ltd co jr sr approx fig mme mlle m dra sra sr art nr bzw ca dr vgl"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_CLAUSE_BREAK = re.compile(
    r"\s*;\s+|\s+[–—]\s+|,\s+(?:but|while|whereas|although|though|yet|mais|tandis que|alors que|pero|mientras que"
    r"|aunque|aber|während|doch|jedoch)\s+",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
MIN_CLAUSE_WORDS = 4
_TRIM = " \t\n\"'“”‘’«»„.,;:!?…-–—"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


def overlaps_enough(a: Span, b: Span) -> bool:
    """Whether two spans share at least half of the shorter one (how a suggestion "hits" a claim)."""
    overlap = min(a.end, b.end) - max(a.start, b.start)
    return overlap > 0 and 2 * overlap >= min(len(a), len(b))


def _ends_sentence(text: str, at: int, after: int) -> bool:
    """Whether the punctuation at `at` ends a sentence, the next one starting at `after`."""
    if after >= len(text):
        return True
    nxt = text[after]
    i = after
    while nxt in _OPENERS and i + 1 < len(text):
        i += 1
        nxt = text[i]
    if not (nxt.isupper() or nxt.isdigit()):
        return False
    if text[at] != ".":
        return True
    word_start = at
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:at].lower()
    if word in _ABBREVIATIONS:
        return False
    # An initial or an abbreviation with inner stops ("U.S", "e.g"), but not a word in capitals.
    return not (len(word) == 1 or "." in word)


def sentences(text: str) -> Iterator[Span]:
    """The sentences of `text`, trimmed of surrounding space."""
    for paragraph in _PARAGRAPH.finditer(text):
        start, stop = paragraph.start(), paragraph.end()
        for end in _END.finditer(text, start, stop):
            if _ends_sentence(text, end.start(), end.end()):
                yield from _trimmed(text, start, end.end())
                start = end.end()
        yield from _trimmed(text, start, stop)


def _trimmed(text: str, start: int, end: int) -> Iterator[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield Span(start, end)


def _words(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def clauses(text: str, sentence: Span) -> list[Span]:
    """The clauses of one sentence: it is cut only where both sides have MIN_CLAUSE_WORDS words."""
    cuts: list[tuple[int, int]] = []
    start = sentence.start
    for brk in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        if _words(text, start, brk.start()) >= MIN_CLAUSE_WORDS and (
            _words(text, brk.end(), sentence.end) >= MIN_CLAUSE_WORDS
        ):
            cuts.append((start, brk.start()))
            start = brk.end()
    cuts.append((start, sentence.end))
    return [span for a, b in cuts if (span := trim(text, a, b)) is not None]


def trim(text: str, start: int, end: int) -> Span | None:
    """The span without surrounding space and punctuation; a quote mark stays when its pair is inside."""
    while start < end and text[start] in _TRIM:
        if text[start] in "\"“«„'‘" and _closes(text, start, end):
            break
        start += 1
    while end > start and text[end - 1] in _TRIM:
        if text[end - 1] in "\"”»'’" and _opens(text, start, end - 1):
            break
        end -= 1
    return Span(start, end) if start < end else None


def _closes(text: str, start: int, end: int) -> bool:
    return any(c in "\"”»'’“" for c in text[start + 1 : end])


def _opens(text: str, start: int, at: int) -> bool:
    return any(c in "\"“«„'‘”" for c in text[start:at])


def candidate_spans(text: str) -> list[Span]:
    """Every clause of every sentence, in document order: the spans a suggestion can cover."""
    return [clause for sentence in sentences(text) for clause in clauses(text, sentence)]
