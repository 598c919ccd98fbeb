"""A report's figures, found from its digits, are the figures a scan of every position finds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.evidence import figures
from annotations.evidence.figures import Figure, figure_in, figure_index, find_figures


def scanning_everywhere(text: str) -> list[tuple[int, int, object, bool, str | None]]:
    """The definition: every pattern tried at every position of the text, dates before numbers."""
    dates = []
    for pattern in figures._DATES:
        for match in pattern.finditer(text):
            try:
                day = datetime.date(int(match["year"]), figures._month_number(match["month"]), int(match["day"]))
            except ValueError:
                continue
            dates.append((match.start(), match.end(), day, False, None))
    found = sorted(dates, key=lambda f: f[0])
    for match in figures._FIGURE.finditer(text):
        if any(start < match.end() and match.start() < end for start, end, *_ in dates):
            continue
        value = Decimal(match["num"].replace(",", ""))
        scale = (match["scale"] or match["suffix"] or "").lower()
        if scale:
            value *= figures._SCALES[scale]
        currency = figures._CURRENCIES.get((match["cur"] or match["curword"] or "").strip().lower())
        found.append((match.start(), match.end(), value, bool(match["pct"]), currency))
    return sorted(found, key=lambda f: f[0])


def found(text: str) -> list[tuple[int, int, object, bool, str | None]]:
    return [(f.start, f.end, f.value, f.percent, f.currency) for f in find_figures(text)]


TOKENS = [
    " ", "  ", "\n", "\t", "\u00a0", ".", ",", "-", "(", ")", "\u201c", "\u2019", "a", "x", "ſ", "K",
    "0", "7", "12", "2021", "1,000", "3.5", "770", "24", "31", "٣",
    "$", "US$", "USD", "€", "£", "¥", "₹", "%", "per cent", "pct", "k", "m", "bn", "billion", "million",
    "dollars", "euros", "Dec", "Dec.", "December", "sept", "May", "of", "th", "st", "-12-", "2021-12-24",
]  # fmt: skip
reports = st.lists(st.sampled_from(TOKENS), max_size=120).map("".join)


@pytest.fixture(params=["digits", "scan"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of finding starts: from the digits, and (a text dense in digits) by scanning."""
    monkeypatch.setattr(figures, "_SCAN_OVER_MATCH", 0 if request.param == "digits" else 10**9)
    return str(request.param)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=reports)
def test_the_figures_found_from_the_digits_are_those_a_scan_finds(way: str, text: str) -> None:
    assert found(text) == scanning_everywhere(text)


def test_a_long_report_sparse_in_digits_is_read_from_its_digits() -> None:
    paragraph = "Officials said the bill, \u201cpassed on Dec. 24, 2021\u201d, spends $770bn \u2014 up 5 per cent. " * 3
    text = ("Nothing but words here, for a while. " * 40 + "\n\n" + paragraph) * 30
    assert figures._starts(text).digit is not None
    assert found(text) == scanning_everywhere(text)
    assert len(found(text)) == 30 * 3 * 3


def test_the_index_gives_the_first_matching_figure() -> None:
    text = "It cost €5m in 2020, then $5 million, then 5,000,000 yen, 12% and 12 on 3 May 2021."
    index = figure_index(text)
    dollars, plain, date = find_figures("$5m, 5 million, 3 May 2021")
    assert figure_in(index, dollars) == (text.index("$5 million"), text.index("$5 million") + len("$5 million"))
    assert figure_in(index, plain) == (text.index("€5m"), text.index("€5m") + 3)
    assert figure_in(index, date) == (text.index("3 May 2021"), text.index("3 May 2021") + len("3 May 2021"))
    twelve = text.index("12%")
    assert figure_in(index, Figure(0, 3, "12%", Decimal("12.0"), percent=True)) == (twelve, twelve + 3)
    assert figure_in(index, Figure(0, 3, "13", Decimal(13))) is None


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=3), st.integers(0, 12))
def test_equal_values_have_one_key_and_others_another(value: Decimal, zeros: int) -> None:
    written_longer = value.quantize(Decimal(1).scaleb(-(3 + zeros)))
    assert Figure(0, 1, "", value).key == Figure(0, 1, "", written_longer).key
    assert Figure(0, 1, "", value).key != Figure(0, 1, "", value + Decimal("0.001")).key
    assert (Figure(0, 1, "", value).key == Figure(0, 1, "", -value).key) == (value == 0)
