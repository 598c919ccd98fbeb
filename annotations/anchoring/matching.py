"""Re-anchoring claims when an article's reader text is replaced.

Each claim has an expected position in the new text: its old start carried through
the alignment of the old and new text (``diff.offset_map``) when the old text is
known, else its old start as it is. Rules, tried in order (``frontend/js/anchoring.js``
applies the same ones):

1. The quote begins at the expected position: "exact" when that is the old start,
   else "moved". So a quote the alignment carries onto identical text is never
   fuzzy or an orphan.
2. "moved": the occurrence of the quote nearest the expected position; equally near
   occurrences are told apart by prefix/suffix agreement, then by position.
3. "fuzzy": the best approximate occurrence of the quote within max(FUZZY_MIN_SLACK,
   quote length) of the expected position, scored on quote, prefix, suffix and
   position; accepted only when the quote is at least MIN_QUOTE_SIMILARITY alike and
   the score reaches MIN_FUZZY_SCORE.
4. "orphan": no position.

"exact" and "moved" always satisfy ``text[start:end] == quote.exact``; a fuzzy match
differs from the quote in at most a quarter of its code points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .diff import OffsetMap, offset_map
from .selectors import TextPositionSelector, TextQuoteSelector, context_similarity, occurrences

# A fuzzy match differs from the quote in at most a quarter of its code points.
MIN_QUOTE_SIMILARITY = 0.75
# Weighted score of a fuzzy candidate; weights sum to 1.
QUOTE_WEIGHT = 0.6
PREFIX_WEIGHT = 0.15
SUFFIX_WEIGHT = 0.15
POSITION_WEIGHT = 0.1
# A quote 75% alike needs most of its context too; a 90% alike quote needs some.
MIN_FUZZY_SCORE = 0.6
# Fuzzy search looks this far (at least) either side of the expected span.
FUZZY_MIN_SLACK = 64
# Longer quotes are not searched approximately (cost grows with length squared).
MAX_FUZZY_QUOTE_LENGTH = 1000
# First window searched for a moved quote; it grows fourfold until a match is sure.
MOVED_FIRST_WINDOW = 64

EXACT = "exact"
MOVED = "moved"
FUZZY = "fuzzy"
ORPHAN = "orphan"


@dataclass(frozen=True)
class Anchor:
    start: int | None
    end: int | None
    outcome: str
    score: float


ORPHAN_ANCHOR = Anchor(None, None, ORPHAN, 0.0)


def reanchor(
    text: str,
    quote: TextQuoteSelector,
    position: TextPositionSelector | None,
    *,
    old_text: str | None = None,
) -> Anchor:
    """Find the claim described by ``quote``/``position`` in the new ``text``."""
    alignment = None if old_text is None else offset_map(old_text, text)
    return _reanchor(text, quote, position, alignment)


def reanchor_many(
    text: str,
    claims: Sequence[tuple[TextQuoteSelector, TextPositionSelector | None]],
    *,
    old_text: str | None = None,
) -> list[Anchor]:
    """``reanchor`` for many claims of one article; the texts are aligned once."""
    alignment = None if old_text is None else offset_map(old_text, text)
    return [_reanchor(text, quote, position, alignment) for quote, position in claims]


def _reanchor(
    text: str,
    quote: TextQuoteSelector,
    position: TextPositionSelector | None,
    alignment: OffsetMap | None,
) -> Anchor:
    exact = quote.exact
    if not exact:
        return ORPHAN_ANCHOR
    expected: int | None = None
    if position is not None:
        expected = position.start if alignment is None else alignment.map_offset(position.start)
        expected = min(max(expected, 0), len(text))
        if text.startswith(exact, expected):
            outcome = EXACT if expected == position.start else MOVED
            return Anchor(expected, expected + len(exact), outcome, 1.0)
    start = _nearest_occurrence(text, quote, expected)
    if start is not None:
        return Anchor(start, start + len(exact), MOVED, 1.0)
    if expected is not None:
        return _fuzzy(text, quote, expected)
    return ORPHAN_ANCHOR


def _context_agreement(text: str, start: int, quote: TextQuoteSelector) -> float:
    before, after = context_similarity(text, start, start + len(quote.exact), quote)
    return before + after


def _best_by_context(text: str, starts: list[int], quote: TextQuoteSelector) -> int:
    if len(starts) == 1:
        return starts[0]
    return min(starts, key=lambda s: (-_context_agreement(text, s, quote), s))


def _nearest_occurrence(text: str, quote: TextQuoteSelector, expected: int | None) -> int | None:
    exact = quote.exact
    if expected is None:
        starts = occurrences(text, exact, 0, len(text))
        return _best_by_context(text, starts, quote) if starts else None
    reach = MOVED_FIRST_WINDOW
    while True:
        lo, hi = max(0, expected - reach), min(len(text), expected + len(exact) + reach)
        starts = occurrences(text, exact, lo, hi)
        if starts:
            nearest = min(abs(s - expected) for s in starts)
            # Anything outside the window is farther than ``reach``.
            if nearest <= reach or (lo == 0 and hi == len(text)):
                ties = [s for s in starts if abs(s - expected) == nearest]
                return _best_by_context(text, ties, quote)
        elif lo == 0 and hi == len(text):
            return None
        reach *= 4


def _fuzzy(text: str, quote: TextQuoteSelector, expected: int) -> Anchor:
    exact = quote.exact
    m = len(exact)
    if m > MAX_FUZZY_QUOTE_LENGTH:
        return ORPHAN_ANCHOR
    slack = max(FUZZY_MIN_SLACK, m)
    lo, hi = max(0, expected - slack), min(len(text), expected + m + slack)
    max_errors = int(m * (1 - MIN_QUOTE_SIMILARITY))
    best: tuple[float, int, int] | None = None
    for start, end, errors in _approximate_occurrences(exact, text[lo:hi], max_errors):
        start += lo
        end += lo
        before, after = context_similarity(text, start, end, quote)
        closeness = max(0.0, 1.0 - abs(start - expected) / (slack + m))
        score = (
            QUOTE_WEIGHT * (1.0 - errors / m)
            + PREFIX_WEIGHT * before
            + SUFFIX_WEIGHT * after
            + POSITION_WEIGHT * closeness
        )
        if best is None or score > best[0]:
            best = (score, start, end)
    if best is None or best[0] < MIN_FUZZY_SCORE:
        return ORPHAN_ANCHOR
    score, start, end = best
    return Anchor(start, end, FUZZY, score)


def _approximate_occurrences(pattern: str, region: str, max_errors: int) -> list[tuple[int, int, int]]:
    """(start, end, edit distance) for each end in ``region`` where ``pattern`` matches
    some substring with at most ``max_errors`` edits (Sellers' algorithm).

    Ties between alignments prefer substitution, then skipping a region character,
    then skipping a pattern character; anchoring.js breaks them the same way.
    Columns are cut off below the last row within ``max_errors`` (Ukkonen), which
    leaves every value within ``max_errors`` exact.
    """
    m = len(pattern)
    over = max_errors + 1
    prev_cost = list(range(m + 1))
    prev_start = [0] * (m + 1)
    last = min(m, max_errors)  # deepest row whose value may be <= max_errors
    found: list[tuple[int, int, int]] = []
    for j, ch in enumerate(region, 1):
        cur_cost = [over] * (m + 1)
        cur_start = [j] * (m + 1)
        cur_cost[0] = 0
        top = min(m, last + 1)
        for i in range(1, top + 1):
            cost = prev_cost[i - 1] + (pattern[i - 1] != ch)
            start = prev_start[i - 1]
            skip_region = prev_cost[i] + 1
            if skip_region < cost:
                cost, start = skip_region, prev_start[i]
            skip_pattern = cur_cost[i - 1] + 1
            if skip_pattern < cost:
                cost, start = skip_pattern, cur_start[i - 1]
            cur_cost[i] = min(cost, over)
            cur_start[i] = start
        last = top
        while last > 0 and cur_cost[last] > max_errors:
            last -= 1
        if cur_cost[m] <= max_errors:
            found.append((cur_start[m], j, cur_cost[m]))
        prev_cost, prev_start = cur_cost, cur_start
    return found
