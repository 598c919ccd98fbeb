"""Figures: numbers with scale, money, percentages and dates, however they are written.

A report's figures are collected once into an index keyed by value (`figure_index`), so a claim's
figures are looked up, not searched for, in each check.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import accumulate
from typing import Any

_SCALES = {
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "bln": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
    "trn": Decimal(10) ** 12,
}
_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "yen": "JPY",
    "₹": "INR",
    "inr": "INR",
    "rupees": "INR",
}

_FIGURE = re.compile(
    r"(?<![\w.,\d])(?<![A-Za-z]-)"
    r"(?:(?P<cur>US\$|\$|€|£|¥|₹|(?:USD|EUR|GBP|JPY|INR)(?=\s?\d))\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mn|mln|bn|bln|tn|trn)(?![a-z])"
    r"|(?P<suffix>k|m)(?![a-z]))?"
    r"(?:\s?(?P<pct>%|per\s?cent(?![a-z])|pct(?![a-z])))?"
    r"(?:\s(?P<curword>dollars?|euros?|pounds?|yen|rupees|USD|EUR|GBP|JPY|INR)(?![a-z]))?"
    r"(?![\d])",
    re.IGNORECASE,
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-z])\.?"
_DATES = (
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH}),?\s+(?P<year>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<![a-z])(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?![\d-])"),
)

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_LONGEST_CURRENCY = 4  # "US$" or "USD" and a space
_SCAN_OVER_MATCH = 10  # trying one start costs about as much as scanning ten characters
_TRIES_PER_DIGIT_RUN = 12  # the places before a run of digits a figure or a date can start
_MONTH_LENGTHS = range(min(map(len, _MONTHS)), max(map(len, _MONTHS)) + 1)


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    written: str
    value: Decimal | datetime.date
    percent: bool = False
    currency: str | None = None

    def matches(self, other: Figure) -> bool:
        if isinstance(self.value, datetime.date) or isinstance(other.value, datetime.date):
            return self.value == other.value
        if self.percent != other.percent or self.value != other.value:
            return False
        return self.currency is None or other.currency is None or self.currency == other.currency

    @property
    def key(self) -> str:
        """Equal for figures of equal value (and kind); the currency is compared apart."""
        if isinstance(self.value, datetime.date):
            return f"d{self.value.isoformat()}"
        return ("p" if self.percent else "n") + _number_key(self.value)


def _number_key(value: Decimal) -> str:
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    written = "".join(map(str, digits))
    significant = written.rstrip("0")
    if not significant:
        return "0"
    return f"{'-' if sign else ''}{significant}e{exponent + len(written) - len(significant)}"


def _matches(pattern: re.Pattern[str], text: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` finds, trying only `starts` (ascending; None: everywhere)."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            yield match
            end = match.end()


@dataclass(frozen=True)
class _Starts:
    """Every place a figure or date can start: None where the text is so dense in digits (a table of
    figures) that letting the regex engine scan is faster than trying each place."""

    digit: list[int] | None = None
    figure: list[int] | None = None
    month: list[int] | None = None


def _starts(text: str) -> _Starts:
    """Where figures and dates can start, found from the digits rather than by trying every position.

    A figure's number starts a run of digits (what precedes it is neither a digit, nor "." or ",")
    with at most a currency before it; a date starts with its day or year, which starts a run of
    digits, or with a month name a few letters before the whitespace before its day.
    """
    digit_starts = [m.start() for m in _DIGITS.finditer(text)]
    if len(digit_starts) * _TRIES_PER_DIGIT_RUN * _SCAN_OVER_MATCH > len(text):
        return _Starts()
    figure_starts: list[int] = []
    month_starts: list[int] = []
    backwards = text[::-1]
    for d in digit_starts:
        figure_starts.extend(range(max(figure_starts[-1] + 1 if figure_starts else 0, d - _LONGEST_CURRENCY), d + 1))
        if d == 0 or not text[d - 1].isspace():
            continue
        spaces = _SPACES.match(backwards, len(text) - d)
        assert spaces is not None
        month_end = d - len(spaces.group())
        if month_end > 0 and text[month_end - 1] == ".":
            month_end -= 1
        month_starts.extend(month_end - length for length in _MONTH_LENGTHS if month_end >= length)
    return _Starts(digit_starts, figure_starts, sorted(set(month_starts)))


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    return _MONTHS[text.lower().rstrip(".")]


def _dates(text: str, starts: _Starts) -> Iterator[Figure]:
    day_first, month_first, iso = _DATES
    for pattern, at in ((day_first, starts.digit), (month_first, starts.month), (iso, starts.digit)):
        for match in _matches(pattern, text, at):
            try:
                value = datetime.date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            except ValueError:
                continue
            yield Figure(match.start(), match.end(), match.group(0), value)


def find_figures(text: str) -> list[Figure]:
    """Every date and number in the text, in order, dates first claiming their digits."""
    starts = _starts(text)
    found = sorted(_dates(text, starts), key=lambda f: f.start)
    date_starts = [f.start for f in found]
    date_reach = list(accumulate((f.end for f in found), max))
    for match in _matches(_FIGURE, text, starts.figure):
        before = bisect.bisect_left(date_starts, match.end())
        if before and date_reach[before - 1] > match.start():
            continue  # inside a date
        try:
            value = Decimal(match["num"].replace(",", ""))
        except InvalidOperation:
            continue
        scale = (match["scale"] or match["suffix"] or "").lower()
        if scale:
            value *= _SCALES[scale]
        currency_text = (match["cur"] or match["curword"] or "").strip().lower()
        found.append(
            Figure(
                match.start(),
                match.end(),
                match.group(0).strip(),
                value,
                percent=bool(match["pct"]),
                currency=_CURRENCIES.get(currency_text),
            )
        )
    return sorted(found, key=lambda f: f.start)


FigureIndex = dict[str, list[list[Any]]]
"""Figure key → [start, end, currency] of the first figure with that key, for each currency written."""


def figure_index(text: str) -> FigureIndex:
    index: FigureIndex = {}
    for figure in find_figures(text):
        seen = index.setdefault(figure.key, [])
        if all(currency != figure.currency for _, _, currency in seen):
            seen.append([figure.start, figure.end, figure.currency])
    return index


def figure_in(index: FigureIndex, figure: Figure) -> tuple[int, int] | None:
    """Where the report first has a figure that matches this one (the same value; a currency, when
    both name one, the same)."""
    hits = [
        (start, end)
        for start, end, currency in index.get(figure.key, ())
        if figure.currency is None or currency is None or currency == figure.currency
    ]
    return min(hits) if hits else None
