"""Check-worthy claim suggestions: pure functions, no Django.

An article's reader text is cut into sentences and clauses (`splitting`); each clause gets features a
reviewer can read (`features`: figures and dates from `figures`, cue words from `cues`), and a
logistic regression over them (`scoring`) gives its score and the reasons behind it. The starting
weights are fitted offline on a labelled set shipped with the package (`fitting`, `labelled`).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotations.suggestions.features import FEATURES, span_features
from annotations.suggestions.scoring import Weights, reasons, score, shipped_weights
from annotations.suggestions.splitting import Span, candidate_spans, overlaps_enough

MIN_SCORE = 0.3
"""Spans scoring less are not suggested at all."""


@dataclass(frozen=True)
class Candidate:
    """A span worth suggesting, with its score, reasons and the features they come from."""

    start: int
    end: int
    score: float
    reasons: tuple[str, ...]
    features: dict[str, float]

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def featured_spans(text: str) -> list[tuple[Span, dict[str, float]]]:
    """Every candidate span of the text with its features, in document order."""
    return [(span, span_features(text[span.start : span.end])) for span in candidate_spans(text)]


def rank(
    spans: list[tuple[Span, dict[str, float]]], weights: Weights, *, min_score: float = MIN_SCORE
) -> list[Candidate]:
    """Score featured spans; those at `min_score` or more, best first (ties in document order)."""
    ranked = []
    for span, features in spans:
        p = score(features, weights)
        if p >= min_score:
            ranked.append(Candidate(span.start, span.end, p, tuple(reasons(features, weights)), features))
    ranked.sort(key=lambda c: (-c.score, c.start))
    return ranked


def suggest(text: str, weights: Weights | None = None, *, min_score: float = MIN_SCORE) -> list[Candidate]:
    """The check-worthy spans of `text`, best first."""
    return rank(featured_spans(text), weights or shipped_weights(), min_score=min_score)


__all__ = [
    "FEATURES",
    "MIN_SCORE",
    "Candidate",
    "Span",
    "Weights",
    "featured_spans",
    "overlaps_enough",
    "rank",
    "shipped_weights",
    "span_features",
    "suggest",
]
