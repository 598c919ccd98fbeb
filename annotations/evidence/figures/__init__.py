"""Figures: numbers with their sign, scale, unit, currency and trend, percentages, years and dates,
however a text in a given language writes them.

A figure is of one kind (a count or amount, a percentage, percentage points, a year, a date) and
matches only a figure of the same kind and value: "2,019 cases" is no year, "1.5m hurdles" no
million, a 3% fall no 3% rise. A value is as precise as it is written: "1.5 million" stands for
anything that rounds to it (1,46 million does, 1.4 million does not), "1,512,000" for itself.

Separators are read in the text's style (`languages.Style`): "1,5 millones" is 1.5 million in
Spanish, "6.000" and "6 000" are 6000 in German or French, "6.000" is 6 in English. Written-out
numbers ("six thousand", "seis mil", "a third") are found in the folded text, whose characters
know where they came from.

A report's figures are collected once into an index by kind and order of magnitude
(`figure_index`), so a claim's figures are looked up, not searched for, in each check.
"""

from __future__ import annotations

import bisect
import datetime
from decimal import Decimal
from typing import Any

from annotations.evidence.figures.dates import find_dates
from annotations.evidence.figures.digits import digit_figures
from annotations.evidence.figures.figure import NUMERIC, Figure, FigureKind, magnitude, read_number
from annotations.evidence.figures.words import one_in_figures, word_figures
from annotations.evidence.folding import Folded, fold
from annotations.evidence.languages import Style

__all__ = ["Figure", "FigureIndex", "FigureKind", "figure_in", "figure_index", "find_figures", "read_number"]


def find_figures(text: str, style: Style, folded: Folded | None = None) -> list[Figure]:
    """Every date, year, number and percentage in the text, in order. Dates and "one in three" claim
    their digits; figures in words do not take digits' places."""
    folded = folded if folded is not None else fold(text)
    claimed = sorted([*find_dates(text), *one_in_figures(text, folded, style)], key=lambda f: f.start)
    found = [*claimed, *digit_figures(text, style, claimed)]
    taken = sorted((f.start, f.end) for f in found)
    for figure in word_figures(text, folded, style):
        at = bisect.bisect_left(taken, (figure.end,))
        if at and taken[at - 1][1] > figure.start:
            continue
        found.append(figure)
    return sorted(found, key=lambda f: f.start)


FigureIndex = dict[str, list[list[Any]]]
"""Kind and order of magnitude (or date, or year) → the figures with it, each the first of its value,
currency, unit and trend: [start, end, value, half, currency, unit, trend]."""


def figure_index(text: str, style: Style, folded: Folded | None = None) -> FigureIndex:
    index: FigureIndex = {}
    seen: set[tuple[Any, ...]] = set()
    for figure in find_figures(text, style, folded):
        entries = [(figure.key, figure.entry())]
        if isinstance(figure.value, datetime.date):
            year = Figure(figure.start, figure.end, "", "year", Decimal(figure.value.year))
            entries.append((year.key, year.entry()))
        for key, entry in entries:
            identity = (key, *entry[2:])
            if identity not in seen:
                seen.add(identity)
                index.setdefault(key, []).append(entry)
    return index


def figure_in(index: FigureIndex, figure: Figure) -> tuple[int, int] | None:
    """Where the report first has a figure that matches this one."""
    if figure.kind not in NUMERIC:
        hits = [(start, end) for start, end, *_ in index.get(figure.key, ())]
        return min(hits) if hits else None
    assert isinstance(figure.value, Decimal)
    order = magnitude(figure.value)
    target, reach = abs(float(figure.value)), float(figure.half)
    hits = [
        (start, end)
        for m in (order - 1, order, order + 1)
        for start, end, value, half, currency, unit, trend in index.get(f"{figure.kind}:{m}", ())
        # A cheap look first; the exact comparison, in decimals, for the few that pass.
        if abs(abs(float(value)) - target) <= max(reach, float(half)) * 1.001 + 1e-9
        and figure.matches(Figure(start, end, "", figure.kind, Decimal(value), Decimal(half), currency, unit, trend))
    ]
    return min(hits) if hits else None
