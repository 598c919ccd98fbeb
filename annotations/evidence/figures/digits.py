"""Figures written in digits: separators, scales, currencies and units, and the words that say a figure rose or fell."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from itertools import accumulate

from annotations.evidence.figures.figure import Figure, FigureKind, half_unit, read_number
from annotations.evidence.languages import LANGUAGES, Language, Style

DIGITS = re.compile(r"\d+")
# A number: groups of three digits after a separator (the same one throughout), then a fraction
# after the other mark; or digits with one mark.
_NUMBER = re.compile(
    r"(?P<num>\d{1,3}(?P<sep>[,.'\u00a0\u202f\u2009 ])\d{3}(?:(?P=sep)\d{3})*(?![\d])(?:(?!(?P=sep))[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?)(?!\d)"
)
CURRENCY_SIGNS = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY",
    "jpy": "JPY", "₹": "INR", "inr": "INR", "rs": "INR", "rs.": "INR", "r$": "BRL", "brl": "BRL", "chf": "CHF",
    "₦": "NGN", "ngn": "NGN", "₱": "PHP", "a$": "AUD", "c$": "CAD",
}  # fmt: skip
_CURRENCY_BEFORE = re.compile(r"(?P<cur>US\$|R\$|A\$|C\$|\$|€|£|¥|₹|₦|₱|Rs\.?|USD|EUR|GBP|INR|JPY|CHF|BRL|NGN)\s?\Z")
_SIGNS = "-\u2212+"
_UNITS = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km", "kilómetros": "km",
    "kilomètres": "km", "quilômetros": "km", "chilometri": "km",
    "m": "m", "metres": "m", "meters": "m", "metre": "m", "meter": "m", "metros": "m", "mètres": "m", "metri": "m",
    "cm": "cm", "mm": "mm", "mi": "mi", "miles": "mi", "mile": "mi", "ft": "ft", "feet": "ft", "foot": "ft",
    "kg": "kg", "kilos": "kg", "kilograms": "kg", "kilogrammes": "kg", "kilogramos": "kg",
    "grams": "g", "tonnes": "t", "tons": "t", "toneladas": "t", "tonnen": "t", "lb": "lb", "lbs": "lb",
    "°c": "°C", "ºc": "°C", "°f": "°F", "degrees": "°", "grados": "°", "degrés": "°", "grad": "°",
    "km/h": "km/h", "mph": "mph", "ha": "ha", "hectares": "ha", "hectáreas": "ha", "acres": "acre",
    "mw": "MW", "gw": "GW", "kw": "kW", "kwh": "kWh", "mwh": "MWh", "gwh": "GWh", "twh": "TWh",
    "litres": "l", "liters": "l", "litros": "l",
}  # fmt: skip
_METRE_CONTEXT = frozenset(
    [
        "hurdles",
        "sprint",
        "race",
        "dash",
        "relay",
        "freestyle",
        "butterfly",
        "backstroke",
        "breaststroke",
        "medley",
        "steeplechase",
        "final",
        "finals",
        "run",
        "swim",
        "tall",
        "high",
        "long",
        "wide",
        "deep",
        "away",
        "above",
        "below",
        "thick",
        "across",
        "high-jump",
    ]
)
_ENGLISH_SCALES = LANGUAGES["en"].scales
_ABBREVIATIONS = frozenset({"mio", "mrd", "tsd", "mln", "mld", "md", "mds"})
"""Scales written with a full stop after them ("3 Mrd. Euro")."""
_TRAILING_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR"}
_AFTER = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_CLAUSE_END = re.compile(r"[.,;:!?()\[\]\n\u2014]")


def _alternatives(words: set[str] | frozenset[str]) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))


@cache
def tail_after(code: str) -> re.Pattern[str]:
    """What may follow a number in the language: a scale (one or two words: "mil millones"), a unit,
    a percent sign or word, percentage points, a currency word or sign."""
    language = LANGUAGES[code]
    words = set(language.scales) - {"m", "k"}
    scales = _alternatives(words - _ABBREVIATIONS) + "|(?:" + _alternatives(words & _ABBREVIATIONS or {"mio"}) + r")\.?"
    currencies = _alternatives(set(language.currencies) | {"usd", "eur", "gbp", "inr", "jpy", "chf", "brl"})
    return re.compile(
        rf"(?:[\s\u00a0]?-?(?P<scale>(?:{scales})(?:\s+(?:{scales}))?)(?![^\W\d_])"
        rf"|(?P<suffix>[km])(?![^\W\d_]))?"
        rf"(?:[\s\u00a0]?(?P<pct>%|{_alternatives(language.percent - {'%'})})(?![^\W\d_])"
        rf"|[\s\u00a0](?P<points>{_alternatives(language.points)})(?![^\W\d_])"
        rf"|[\s\u00a0]?-?(?P<unit>{_alternatives(set(_UNITS) - {'m', 'g', 'l'})}|m)(?![^\W\d_/]))?"
        rf"(?:[ \u00a0\u202f]?(?P<cursym>[€$£¥₹])"
        rf"|(?:\s+d[eia]\s+|\s+d['\u2019]|\s+)(?P<curword>{currencies})(?![^\W\d_]))?",
        re.IGNORECASE,
    )


# --- Trend ----------------------------------------------------------------------------------------


def trend_of(text: str, start: int, end: int, language: Language) -> int:
    """Whether the words next to the figure, in its clause, say it is a rise or a fall: the nearest
    of the three words before it and the two after it that does."""
    before = text[max(0, start - 48) : start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    words_before = _AFTER.findall(before[cut:].lower())[-3:]
    if words_before[-2:] == ["up", "to"]:
        words_before = words_before[:-2]  # a bound, not a rise
    after = text[end : end + 36]
    stop = _CLAUSE_END.search(after)
    words_after = _AFTER.findall(after[: stop.start() if stop else None].lower())[:2]
    for word in [*reversed(words_before), *words_after]:
        if word in language.rises:
            return 1
        if word in language.falls:
            return -1
    return 0


# --- Figures written in digits --------------------------------------------------------------------


def digit_figures(text: str, style: Style, taken: list[Figure]) -> Iterator[Figure]:
    tail = tail_after(style.language.code)
    taken_starts = [f.start for f in taken]
    taken_reach = list(accumulate((f.end for f in taken), max))
    done = 0
    for run in DIGITS.finditer(text):
        d = run.start()
        if d < done:
            continue
        before = text[d - 1] if d else " "
        if before.isalnum() or before in ".,_/" or (before == "-" and d > 1 and text[d - 2].isalpha()):
            continue  # a name ("G7", "COVID-19"), a version, a fraction's denominator
        number = _NUMBER.match(text, d)
        if number is None:
            continue
        after = tail.match(text, number.end())
        assert after is not None  # every part of the tail is optional
        end = after.end()
        floor, done = done, end
        if end < len(text) and text[end].isalpha():
            continue  # "7th", "3D", "10am"
        nearby = bisect.bisect_left(taken_starts, end)
        if nearby and taken_reach[nearby - 1] > d:
            continue  # inside a date, or "1 in 3"
        figure = _digit_figure(text, style, number, after, d, end, floor)
        if figure is not None:
            yield figure


def _prefix(text: str, d: int, floor: int) -> tuple[int, str | None, bool]:
    """Where a figure whose digits start at `d` starts (not before `floor`), with the currency and
    minus sign before them."""
    start, currency, negative = d, None, False
    sign_at = None
    if d > floor and text[d - 1] in _SIGNS:
        sign_at = d - 1
    found = _CURRENCY_BEFORE.search(text, max(floor, (sign_at if sign_at is not None else d) - 5), sign_at or d)
    if found is not None and (found.start() == 0 or not text[found.start() - 1].isalnum()):
        currency = CURRENCY_SIGNS[found["cur"].lower()]
        start = found.start()
        if sign_at is None and start > floor and text[start - 1] in _SIGNS:
            sign_at = start - 1
    if sign_at is not None and (sign_at == 0 or text[sign_at - 1].isspace() or text[sign_at - 1] in "(["):
        negative = text[sign_at] != "+"
        start = min(start, sign_at)
    return start, currency, negative


def _digit_figure(
    text: str, style: Style, number: re.Match[str], after: re.Match[str], d: int, end: int, floor: int
) -> Figure | None:
    language = style.language
    value = read_number(number["num"], number["sep"], style.decimal_mark)
    if value is None:
        return None
    start, currency, negative = _prefix(text, d, floor)
    scale = Decimal(1)
    unit = None
    if after["scale"]:
        for word in after["scale"].lower().split():
            scale *= language.scales[word.rstrip(".")]
    elif after["suffix"]:
        suffix = after["suffix"].lower()
        following = _AFTER.match(text, end + 1) if text[end : end + 1] == " " else None
        if suffix == "m" and not currency and following is not None and following.group(0).lower() in _METRE_CONTEXT:
            unit = "m"  # "1.5m hurdles"
        else:
            scale = _ENGLISH_SCALES[suffix]
    if after["unit"]:
        unit = _UNITS[after["unit"].lower()]
        if unit == "m" and currency:  # "$5 m": the currency says million
            unit, scale = None, _ENGLISH_SCALES["m"]
    kind: FigureKind = "percent" if after["pct"] else "points" if after["points"] else "number"
    if after["cursym"]:
        currency = currency or _TRAILING_SYMBOLS[after["cursym"]]
    elif after["curword"]:
        word = after["curword"].lower()
        currency = currency or language.currencies.get(word) or CURRENCY_SIGNS.get(word)
    written = text[start:end]
    plain = number["num"].isdigit()
    if plain and kind == "number" and len(written) == 4 and 1000 <= value <= 2199:
        return Figure(start, end, written, "year", value)  # a bare four-digit number in the range of years
    half = half_unit(value, scale)
    value *= scale
    trend = trend_of(text, start, end, language)
    return Figure(
        start, end, written, kind, -value if negative else value, half=half, currency=currency, unit=unit, trend=trend
    )
