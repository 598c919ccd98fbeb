"""Figures read with their kind, sign, scale, unit, currency and trend, in the text's language."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.evidence.figures import Figure, figure_in, figure_index, find_figures, read_number
from annotations.evidence.figures import dates as figure_dates
from annotations.evidence.languages import detect, style_of


def only(text: str, language: str = "en") -> Figure:
    [figure] = find_figures(text, style_of(text, language=language))
    return figure


def value(text: str, language: str = "en") -> tuple[str, Decimal | datetime.date]:
    figure = only(text, language)
    return figure.kind, figure.value


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("6,000 troops", "en", 6000),
        ("6 000 troops", "en", 6000),
        ("6\u202f000 troops", "en", 6000),
        ("six thousand troops", "en", 6000),
        ("6k troops", "en", 6000),
        ("6.000 soldats", "fr", 6000),
        ("6 000 soldats", "fr", 6000),
        ("six mille soldats", "fr", 6000),
        ("6.000 Soldaten", "de", 6000),
        ("sechstausend Soldaten", "de", 6000),
        ("seis mil soldados", "es", 6000),
        ("6.000 soldados", "es", 6000),
        ("1,5 millones de personas", "es", Decimal("1.5e6")),
        ("1.5 million people", "en", Decimal("1.5e6")),
        ("1,5 Millionen Menschen", "de", Decimal("1.5e6")),
        ("1,5 milhões de pessoas", "pt", Decimal("1.5e6")),
        ("1,5 milioni di persone", "it", Decimal("1.5e6")),
        ("2 mil millones", "es", Decimal("2e9")),
        ("3 milliards", "fr", Decimal("3e9")),
        ("3 Mrd.", "de", Decimal("3e9")),
        ("1.234.567,89", "de", Decimal("1234567.89")),
        ("1,234,567.89", "en", Decimal("1234567.89")),
        ("6.000", "en", Decimal(6)),
        ("2 lakh", "en", Decimal(200000)),
        ("5 crore", "en", Decimal(50000000)),
        ("twenty-five thousand", "en", Decimal(25000)),
        ("two hundred and six", "en", Decimal(206)),
        ("a million", "en", Decimal(10**6)),
        ("einundzwanzig", "de", Decimal(21)),
        ("quatre-vingt-dix", "fr", Decimal(90)),
    ],
)
def test_numbers_are_read_in_the_texts_language(text: str, language: str, expected: Decimal) -> None:
    assert value(text, language) == ("number", expected)


@pytest.mark.parametrize(
    ("text", "language", "kind", "expected"),
    [
        ("12%", "en", "percent", 12),
        ("12 per cent", "en", "percent", 12),
        ("twelve percent", "en", "percent", 12),
        ("12 por ciento", "es", "percent", 12),
        ("12 %", "fr", "percent", 12),
        ("12 Prozent", "de", "percent", 12),
        ("3 percentage points", "en", "points", 3),
        ("a third of", "en", "percent", Decimal(100) / 3),
        ("two-thirds", "en", "percent", Decimal(200) / 3),
        ("one in five", "en", "percent", 20),
        ("1 in 4", "en", "percent", 25),
        ("half of them", "en", "percent", 50),
        ("un tercio", "es", "percent", Decimal(100) / 3),
        ("un tiers", "fr", "percent", Decimal(100) / 3),
        ("ein Drittel", "de", "percent", Decimal(100) / 3),
        ("la mitad de", "es", "percent", 50),
    ],
)
def test_percentages_and_fractions(text: str, language: str, kind: str, expected: Decimal) -> None:
    assert value(text, language) == (kind, expected)


def test_a_four_digit_number_is_a_year_only_where_it_reads_as_one() -> None:
    assert value("in 2019") == ("year", 2019)
    assert value("2,019 cases") == ("number", 2019)
    assert value("$2019") == ("number", 2019)
    assert value("2019 km") == ("number", 2019)
    assert value("2019.5") == ("number", Decimal("2019.5"))


def test_an_m_before_a_unit_context_is_metres_and_after_a_currency_millions() -> None:
    hurdles = only("the 1.5m hurdles")
    assert (hurdles.value, hurdles.unit) == (Decimal("1.5"), "m")
    assert only("1.5m people").value == Decimal("1.5e6")
    assert only("£1.5m").value == Decimal("1.5e6")
    assert only("$5 m").value == Decimal("5e6")
    assert only("a 2 m wall").unit == "m"


def test_currency_sign_and_trend() -> None:
    assert only("€3bn").currency == "EUR"
    assert only("3 milliards d\u2019euros", "fr").currency == "EUR"
    assert only("1.500 €", "de").currency == "EUR"
    assert only("prices fell 3%").trend == -1
    assert only("a 3% rise").trend == 1
    assert only("up to 3%").trend == 0
    assert only("−3.5%").value == Decimal("-3.5")
    assert find_figures("COVID-19 and the G7, 7th, 3D, 10am", style_of("")) == []


def test_dates_in_several_languages() -> None:
    day = datetime.date(2019, 3, 5)
    for text, language in [
        ("5 March 2019", "en"),
        ("March 5, 2019", "en"),
        ("2019-03-05", "en"),
        ("5 de marzo de 2019", "es"),
        ("5 mars 2019", "fr"),
        ("5. März 2019", "de"),
    ]:
        assert value(text, language) == ("date", day), text


@pytest.mark.parametrize(
    ("claim", "report", "matches"),
    [
        ("1.5 million", "1,512,000", True),  # within the rounding the claim states
        ("1.5 million", "1.46 million", True),
        ("1.5 million", "1.4 million", False),
        ("2 million", "1.5 million", False),
        ("6,000", "6,200", False),
        ("3%", "3.4%", True),
        ("3%", "3.6%", False),
        ("33%", "a third", True),
        ("34%", "a third", False),
        ("fell 3%", "-3%", True),
        ("fell 3%", "rose 3%", False),
        ("-3", "3", False),
        ("3%", "3 percentage points", False),
        ("$5 billion", "€5 billion", False),
        ("$5 billion", "5 billion", True),
        ("100 km", "100 miles", False),
        ("in 2019", "2,019", False),
    ],
)
def test_matching(claim: str, report: str, matches: bool) -> None:
    style = style_of("", language="en")
    [a] = [f for f in find_figures(claim, style)]
    [b] = [f for f in find_figures(report, style)]
    assert a.matches(b) is matches
    assert b.matches(a) is matches


def test_the_index_gives_the_first_matching_figure() -> None:
    text = "It cost €5m in 2020, then $5 million, then 5,000,000 yen, 12% and 12 on 3 May 2021."
    style = style_of(text)
    index = figure_index(text, style)
    dollars, plain, date = find_figures("$5m, 5 million, 3 May 2021", style)
    assert figure_in(index, dollars) == (text.index("$5 million"), text.index("$5 million") + len("$5 million"))
    assert figure_in(index, plain) == (text.index("€5m"), text.index("€5m") + 3)
    assert figure_in(index, date) == (text.index("3 May 2021"), text.index("3 May 2021") + len("3 May 2021"))
    year = only("in 2021")
    assert figure_in(index, year) == (text.index("3 May 2021"), text.index("3 May 2021") + len("3 May 2021"))
    assert figure_in(index, only("13")) is None


def test_separators_are_read_by_the_decimal_mark() -> None:
    assert read_number("1,500", ",", ".") == 1500
    assert read_number("1,500", ",", ",") == Decimal("1.5")
    assert read_number("1.500", ".", ",") == 1500
    assert read_number("1.500.000", ".", ".") == 1500000
    assert read_number("1,5", None, ".") == Decimal("1.5")


def test_the_language_of_a_report_is_the_one_whose_common_words_it_uses() -> None:
    assert detect("El gobierno dijo que la inflación subió en los últimos meses").code == "es"
    assert detect("Le gouvernement a dit que les prix sont en hausse dans le pays").code == "fr"
    assert detect("Die Regierung sagte, dass die Preise in den letzten Monaten gestiegen sind").code == "de"
    assert detect("The government said that prices rose in the past months").code == "en"
    assert style_of("It cost 1,234.5 euros and 2,000,000.0 more and 3,000.25", language="de").decimal_mark == "."


TOKENS = [
    " ", "  ", "\n", "\u00a0", ".", ",", "-", "(", "\u201c", "\u2019", "a", "x", "K", "0", "7", "12", "2021",
    "1,000", "3.5", "6 000", "770", "$", "€", "%", "per cent", "k", "m", "bn", "million", "millones", "mil",
    "dollars", "Dec.", "December", "marzo", "de", "of", "th", "a third", "six", "thousand", "fell", "rose", "\u0301",
]  # fmt: skip
texts = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, language=st.sampled_from(["en", "es", "fr", "de", "pt", "it"]))
def test_figures_lie_in_the_text_in_order_without_overlapping(text: str, language: str) -> None:
    found = find_figures(text, style_of(text, language=language))
    for figure in found:
        assert 0 <= figure.start < figure.end <= len(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@given(text=texts)
def test_dates_found_from_the_digits_are_those_a_scan_finds(text: str) -> None:
    everywhere = sorted(
        (m.start(), m.end()) for pattern in figure_dates._DATES for m in pattern.finditer(text) if _is_date(m)
    )
    found = sorted((f.start, f.end) for f in figure_dates.find_dates(text))
    assert found == everywhere


def _is_date(match: object) -> bool:
    try:
        figure_dates._month_number(match["month"])  # type: ignore[index]
        datetime.date(int(match["year"]), figure_dates._month_number(match["month"]), int(match["day"]))  # type: ignore[index]
    except (ValueError, KeyError):
        return False
    return True
