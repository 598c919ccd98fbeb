"""The features of a candidate span: what a reviewer would point at to say why it is worth checking
(or not). Each is a number from 0 to 1, so that a weight reads the same for every feature.
"""

from __future__ import annotations

from annotations.suggestions import cues
from annotations.suggestions.figures import figures_in

FEATURES: tuple[str, ...] = (
    "figure",
    "figure_count",
    "amount",
    "percentage",
    "proportion",
    "date",
    "weekday",
    "comparison",
    "superlative",
    "attribution",
    "causal",
    "named_entity",
    "opinion",
    "first_person",
    "direct_quote",
    "future",
    "question",
    "short",
)
"""Every feature, in the order of the weights."""

REASONS: dict[str, str] = {
    "figure": "figure",
    "figure_count": "figure",
    "amount": "amount",
    "percentage": "percentage",
    "proportion": "proportion",
    "date": "date",
    "comparison": "comparison",
    "superlative": "superlative",
    "attribution": "attribution",
    "causal": "causal",
    "named_entity": "named entity",
}
"""The reason a feature gives when it raises a score (features that only lower one give none)."""

SHORT_WORDS = 6


def _capped(count: int, cap: int) -> float:
    return min(count, cap) / cap


def _named_entities(words: list[str]) -> int:
    """Capitalised words after the first, and acronyms: names of people, bodies and places, found by
    their spelling (no statistical tagger: none ships its model in a wheel for these four languages)."""
    count = 0
    for word in words[1:]:
        if word[0].isupper() and word not in ("I", "I'm", "I've"):
            count += 1
    return count


def span_features(text: str) -> dict[str, float]:
    """The features of one span of text (a sentence or clause)."""
    figures = figures_in(text)
    words = cues.WORD.findall(text)
    numbers = figures["number"] + figures["year"]
    stripped = text.rstrip("\"'”’»)")
    return {
        "figure": 1.0 if figures["number"] else 0.0,
        "figure_count": _capped(figures["number"] + figures["percentage"] + figures["amount"], 3),
        "amount": 1.0 if figures["amount"] else 0.0,
        "percentage": 1.0 if figures["percentage"] else 0.0,
        "proportion": 1.0 if figures["proportion"] else 0.0,
        "date": 1.0 if figures["year"] or figures["date"] else 0.0,
        "weekday": 1.0 if figures["weekday"] else 0.0,
        "comparison": _capped(len(cues.COMPARISON.findall(text)), 2),
        "superlative": 1.0 if cues.SUPERLATIVE.search(text) else 0.0,
        "attribution": 1.0 if cues.ATTRIBUTION.search(text) else 0.0,
        "causal": 1.0 if cues.CAUSAL.search(text) else 0.0,
        "named_entity": _capped(_named_entities(words), 3),
        "opinion": 1.0 if cues.OPINION.search(text) else 0.0,
        "first_person": 1.0 if cues.FIRST_PERSON.search(text) else 0.0,
        "direct_quote": 1.0 if cues.QUOTE_MARK.search(text) else 0.0,
        "future": 1.0 if cues.FUTURE.search(text) else 0.0,
        "question": 1.0 if stripped.endswith("?") else 0.0,
        "short": 1.0 if len(words) < SHORT_WORDS and not numbers else 0.0,
    }
