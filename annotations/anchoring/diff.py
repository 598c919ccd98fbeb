"""Carrying offsets of an old reader text into its revision.

``offset_map(old, new)`` aligns the two texts and keeps the equal segments; an offset
inside an equal segment maps exactly, one inside a changed stretch keeps its distance
from the stretch's start (clamped to the new stretch). The alignment, coarse to fine:

1. The common prefix and suffix in code points (``text_edit``), widened to whole lines.
2. The lines between them: a patience diff. Lines occurring once on each side (blank
   ones aside) are matched along their longest increasing run; the stretches between
   are aligned the same way, after their common first and last lines are matched.
3. Each stretch of replaced lines: the same diff over words and runs of whitespace.
4. Each stretch of replaced words: its common prefix and suffix in code points.

An insertion or deletion that could sit at several places (text repeated at its edges)
goes where its edges fall best on a line start, then a sentence start, then a word
start; of equally good places, the last. So an editor's note put above a paragraph
takes its blank line with it rather than the paragraph's first word.

Patience diffs are near linear, but their recursion is not always: once MAX_DIFF_WORK
tokens have been counted for unique anchors, a stretch that needs more keeps only its
common first and last tokens (and step 4). At worst that is the single replaced span
of step 1.

``frontend/js/diff.js`` is the same algorithm, step for step and tie for tie.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

# Tokens counted (over all stretches) before alignment stops refining.
MAX_DIFF_WORK = 1_000_000

_LINES = re.compile(r"[^\n]*\n|[^\n]+")
_WORDS = re.compile(r"[ \t\n\r\f\v]+|[^ \t\n\r\f\v]+")
_WHITESPACE = " \t\n\r\f\v"
_SPACE = frozenset(_WHITESPACE)
_SENTENCE_END = frozenset(".!?:;\"')\u201d\u2019\u00bb\u2026")

_CHUNK = 4096


@dataclass(frozen=True)
class TextEdit:
    """``old[prefix:old_end]`` became ``new[prefix:new_end]``; the rest is unchanged."""

    prefix: int
    old_end: int
    new_end: int


def text_edit(old: str, new: str) -> TextEdit:
    """The single replaced span that turns ``old`` into ``new``."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit:
        stop = min(prefix + _CHUNK, limit)
        if old[prefix:stop] == new[prefix:stop]:
            prefix = stop
            continue
        while old[prefix] == new[prefix]:
            prefix += 1
        break
    limit -= prefix
    suffix = 0
    old_len, new_len = len(old), len(new)
    while suffix < limit:
        stop = min(suffix + _CHUNK, limit)
        if old[old_len - stop : old_len - suffix] == new[new_len - stop : new_len - suffix]:
            suffix = stop
            continue
        while old[old_len - suffix - 1] == new[new_len - suffix - 1]:
            suffix += 1
        break
    return TextEdit(prefix, old_len - suffix, new_len - suffix)


@dataclass(frozen=True)
class OffsetMap:
    """Equal segments ``(old_start, new_start, length)``, increasing in both texts."""

    segments: tuple[tuple[int, int, int], ...]
    old_length: int
    new_length: int
    _old_starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_old_starts", [segment[0] for segment in self.segments])

    def map_offset(self, offset: int) -> int:
        """Where ``offset`` of the old text lies in the new one.

        An offset where text was inserted maps past the insertion when unchanged text
        follows it: the offset is read as the start of that text.
        """
        k = bisect_right(self._old_starts, offset) - 1
        old_start, new_start, length = self.segments[k] if k >= 0 else (0, 0, 0)
        if offset <= old_start + length:
            return new_start + offset - old_start
        next_new = self.segments[k + 1][1] if k + 1 < len(self.segments) else self.new_length
        return min(new_start + offset - old_start, next_new)


def offset_map(old: str, new: str) -> OffsetMap:
    """Align ``old`` with its revision ``new`` (see the module docstring)."""
    if old == new:
        return OffsetMap(((0, 0, len(old)),) if old else (), len(old), len(new))
    edit = text_edit(old, new)
    lo = old.rfind("\n", 0, edit.prefix) + 1
    suffix = len(old) - edit.old_end
    if suffix and not (_line_start(old, edit.old_end) and _line_start(new, edit.new_end)):
        newline = old.find("\n", edit.old_end)
        suffix = 0 if newline < 0 else len(old) - newline - 1
    old_hi, new_hi = len(old) - suffix, len(new) - suffix
    segments: list[tuple[int, int, int]] = [(0, 0, lo)]
    budget = [MAX_DIFF_WORK]
    for a0, a1, b0, b1, same in _align(old, new, lo, old_hi, lo, new_hi, _LINES, budget):
        if same:
            segments.append((a0, b0, a1 - a0))
            continue
        for c0, c1, d0, d1, same_words in _align(old, new, a0, a1, b0, b1, _WORDS, budget):
            if same_words:
                segments.append((c0, d0, c1 - c0))
            else:
                edit = text_edit(old[c0:c1], new[d0:d1])
                segments.append((c0, d0, edit.prefix))
                segments.append((c0 + edit.old_end, d0 + edit.new_end, c1 - c0 - edit.old_end))
    segments.append((old_hi, new_hi, suffix))
    return OffsetMap(_merged(segments), len(old), len(new))


def _line_start(text: str, at: int) -> bool:
    return at == 0 or text[at - 1] == "\n"


def _merged(segments: list[tuple[int, int, int]]) -> tuple[tuple[int, int, int], ...]:
    merged: list[tuple[int, int, int]] = []
    for a, b, n in segments:
        if n <= 0:
            continue
        if merged:
            pa, pb, pn = merged[-1]
            if pa + pn == a and pb + pn == b:
                merged[-1] = (pa, pb, pn + n)
                continue
        merged.append((a, b, n))
    return tuple(merged)


def _align(
    old: str, new: str, a0: int, a1: int, b0: int, b1: int, tokens: re.Pattern[str], budget: list[int]
) -> list[tuple[int, int, int, int, bool]]:
    """``old[a0:a1]`` against ``new[b0:b1]`` split into tokens: consecutive stretches
    ``(old_start, old_end, new_start, new_end, equal)`` covering both ranges."""
    if a0 == a1 or b0 == b1:
        return [(a0, a1, b0, b1, False)]
    a = tokens.findall(old, a0, a1)
    b = tokens.findall(new, b0, b1)
    a_at = _starts(a, a0)
    b_at = _starts(b, b0)
    blocks = _matching_blocks(a, b, budget)
    _slide(blocks, a, b, a_at, b_at, old, new)
    stretches: list[tuple[int, int, int, int, bool]] = []
    i = j = 0
    for bi, bj, n in blocks:
        if n == 0:
            continue
        if i < bi or j < bj:
            stretches.append((a_at[i], a_at[bi], b_at[j], b_at[bj], False))
        stretches.append((a_at[bi], a_at[bi + n], b_at[bj], b_at[bj + n], True))
        i, j = bi + n, bj + n
    if i < len(a) or j < len(b):
        stretches.append((a_at[i], a_at[len(a)], b_at[j], b_at[len(b)], False))
    return stretches


def _starts(tokens: list[str], base: int) -> list[int]:
    return list(accumulate(map(len, tokens), initial=base))


def _matching_blocks(a: list[str], b: list[str], budget: list[int]) -> list[list[int]]:
    """Equal runs ``[i, j, n]`` (``a[i:i+n] == b[j:j+n]``), increasing in i and j,
    between sentinels ``[0, 0, 0]`` and ``[len(a), len(b), 0]``."""
    blocks = [[0, 0, 0], [len(a), len(b), 0]]
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        n = 0
        while alo + n < ahi and blo + n < bhi and a[alo + n] == b[blo + n]:
            n += 1
        if n:
            blocks.append([alo, blo, n])
            alo += n
            blo += n
        n = 0
        while alo < ahi - n and blo < bhi - n and a[ahi - n - 1] == b[bhi - n - 1]:
            n += 1
        if n:
            ahi -= n
            bhi -= n
            blocks.append([ahi, bhi, n])
        work = ahi - alo + bhi - blo
        if alo == ahi or blo == bhi or work > budget[0]:
            continue
        budget[0] -= work
        anchors = _unique_anchors(a, alo, ahi, b, blo, bhi)
        gaps = []
        for i, j in anchors:
            blocks.append([i, j, 1])
            gaps.append((alo, i, blo, j))
            alo, blo = i + 1, j + 1
        if anchors:
            gaps.append((alo, ahi, blo, bhi))
            stack.extend(reversed(gaps))
    blocks.sort()
    merged = [blocks[0]]
    for block in blocks[1:]:
        last = merged[-1]
        if last[2] and block[2] and last[0] + last[2] == block[0] and last[1] + last[2] == block[1]:
            last[2] += block[2]
        else:
            merged.append(block)
    return merged


def _unique_anchors(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int) -> list[tuple[int, int]]:
    """Tokens occurring once in ``a[alo:ahi]`` and once in ``b[blo:bhi]``, as index
    pairs along the longest run increasing on both sides (patience sorting).

    Blank lines and runs of whitespace are never anchors: a lone one says little about
    where the text around it went.
    """
    in_a: dict[str, int] = {}
    for i in range(alo, ahi):
        in_a[a[i]] = -1 if a[i] in in_a else i
    in_b: dict[str, int] = {}
    for j in range(blo, bhi):
        in_b[b[j]] = -1 if b[j] in in_b else j
    pairs = [(i, in_b[t]) for t, i in in_a.items() if i >= 0 and in_b.get(t, -1) >= 0 and t.strip(_WHITESPACE)]
    pairs.sort()
    tails: list[int] = []  # tails[k]: index in pairs ending the best run of length k + 1
    tail_js: list[int] = []
    back: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect_right(tail_js, j)
        back.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(index)
            tail_js.append(j)
        else:
            tails[k] = index
            tail_js[k] = j
    run: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = back[index]
    run.reverse()
    return run


def _slide(
    blocks: list[list[int]], a: list[str], b: list[str], a_at: list[int], b_at: list[int], old: str, new: str
) -> None:
    """Move each pure insertion or deletion to where its edges fall best (in place)."""
    for k in range(len(blocks) - 1):
        before, after = blocks[k], blocks[k + 1]
        lo_a, lo_b = before[0] + before[2], before[1] + before[2]
        if lo_a == after[0] and lo_b < after[1]:
            seq, at, text, lo, hi = b, b_at, new, lo_b, after[1]
        elif lo_b == after[1] and lo_a < after[0]:
            seq, at, text, lo, hi = a, a_at, old, lo_a, after[0]
        else:
            continue
        up = 0
        while up < before[2] and seq[hi - 1 - up] == seq[lo - 1 - up]:
            up += 1
        down = 0
        while down < after[2] and seq[lo + down] == seq[hi + down]:
            down += 1
        if up == down == 0:
            continue
        best, best_score = 0, -1
        for shift in range(-up, down + 1):
            score = _edge(text, at[lo + shift]) + _edge(text, at[hi + shift])
            if score >= best_score:
                best, best_score = shift, score
        before[2] += best
        after[0] += best
        after[1] += best
        after[2] -= best


def _edge(text: str, at: int) -> int:
    """How well a change starting or ending at ``at`` sits: line, sentence, word, none."""
    if at == len(text) or _line_start(text, at):
        return 3
    if text[at - 1] in _SPACE:
        return 2 if at >= 2 and text[at - 2] in _SENTENCE_END else 1
    return 0
