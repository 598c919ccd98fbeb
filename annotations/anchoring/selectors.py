"""W3C Web Annotation selectors over reader text (offsets in code points).

``frontend/js/anchoring.js`` implements the same functions with the same rules;
``tests/fixtures/anchoring_cases.json`` holds the cases both must agree on.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_LENGTH = 32


class QuoteNotFound(ValueError):
    """The quoted text does not occur in the article."""


@dataclass(frozen=True)
class TextQuoteSelector:
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class TextPositionSelector:
    start: int
    end: int


def selectors_for_span(
    text: str, start: int, end: int, context: int = CONTEXT_LENGTH
) -> tuple[TextQuoteSelector, TextPositionSelector]:
    """Both selectors for ``text[start:end]``; context is shorter at the text edges."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span [{start}, {end}) is not a non-empty span of a text of length {len(text)}")
    quote = TextQuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )
    return quote, TextPositionSelector(start, end)


def selectors_for_quote(
    text: str,
    exact: str,
    *,
    hint: int | None = None,
    prefix: str = "",
    suffix: str = "",
    context: int = CONTEXT_LENGTH,
) -> tuple[TextQuoteSelector, TextPositionSelector]:
    """Selectors for the occurrence of ``exact`` that best fits the given context.

    Candidates are ranked by agreement with ``prefix``/``suffix`` (only those given),
    then by distance from ``hint``, then by position.
    """
    if not exact:
        raise ValueError("the quote is empty")
    starts = occurrences(text, exact, 0, len(text))
    if not starts:
        raise QuoteNotFound(f"the quote does not occur in the text: {exact[:80]!r}")
    wanted = TextQuoteSelector(exact, prefix, suffix)

    def rank(start: int) -> tuple[float, int, int]:
        agreement = 0.0
        before, after = context_similarity(text, start, start + len(exact), wanted)
        if prefix:
            agreement += before
        if suffix:
            agreement += after
        distance = 0 if hint is None else abs(start - hint)
        return (-agreement, distance, start)

    best = min(starts, key=rank)
    return selectors_for_span(text, best, best + len(exact), context)


def occurrences(text: str, needle: str, lo: int, hi: int) -> list[int]:
    """Start offsets of ``needle`` lying wholly within ``text[lo:hi]``."""
    found: list[int] = []
    index = text.find(needle, lo, hi)
    while index >= 0:
        found.append(index)
        index = text.find(needle, index + 1, hi)
    return found


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance counted in code points.

    Bit-parallel (Myers 1999, Hyyrö 2001): one pass over the longer string with
    the shorter one as a bit vector. anchoring.js computes the same number by
    plain dynamic programming.
    """
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    full = (1 << m) - 1
    last = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(b):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = full, 0, m
    for char in a:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


def similarity(a: str, b: str) -> float:
    """1 - edit distance / length of the longer string; two empty strings agree fully."""
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    return 1.0 - edit_distance(a, b) / longest


def context_similarity(text: str, start: int, end: int, quote: TextQuoteSelector) -> tuple[float, float]:
    """How well the text around ``[start, end)`` agrees with the quote's prefix and suffix."""
    before = text[max(0, start - len(quote.prefix)) : start]
    after = text[end : end + len(quote.suffix)]
    return similarity(quote.prefix, before), similarity(quote.suffix, after)
