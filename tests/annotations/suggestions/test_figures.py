"""Figures and dates in four languages."""

from __future__ import annotations

import pytest

from annotations.suggestions.features import span_features
from annotations.suggestions.figures import figures_in


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("a budget of $40 billion", {"amount"}),
        ("£58.3bn for defence", {"amount"}),
        ("12,000 workers", {"number"}),
        ("within three days", {"date", "number"}),
        ("rose by 2.4%", {"percentage"}),
        ("fell 5 percentage points", {"percentage"}),
        ("twice as many", {"proportion"}),
        ("a third of them", {"proportion"}),
        ("one in ten bridges", {"proportion"}),
        ("in March 2024", {"date", "year"}),
        ("3,2 milliards d'euros", {"amount"}),
        ("un tiers de plus", {"proportion"}),
        ("16.000 millones de euros", {"amount"}),
        ("un 7 % más", {"percentage"}),
        ("um 20 Prozent", {"percentage"}),
        ("mehr als sechsmal so viele", {"proportion"}),
        ("jeder dritte Erwachsene", {"proportion"}),
        ("bis zu 2.500 Euro", {"amount"}),
    ],
)
def test_figures_are_recognised(text: str, kinds: set[str]):
    found = {kind for kind, count in figures_in(text).items() if count}
    assert kinds <= found, found


def test_a_year_is_a_date_not_a_figure():
    found = figures_in("It was built in 1931.")
    assert found["year"] == 1 and found["number"] == 0


def test_features_are_between_zero_and_one_and_name_the_cues():
    f = span_features('"I love this town," she said, according to the council, because it is the largest.')
    assert all(0 <= v <= 1 for v in f.values())
    assert f["attribution"] == f["causal"] == f["superlative"] == f["opinion"] == f["direct_quote"] == 1
    assert f["first_person"] == 1 and f["figure"] == 0
