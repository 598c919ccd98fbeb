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
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import accumulate
from typing import Any, Literal

from annotations.evidence.folding import Folded, fold
from annotations.evidence.languages import LANGUAGES, Language, Style

FigureKind = Literal["number", "percent", "points", "year", "date"]
_NUMERIC: frozenset[str] = frozenset({"number", "percent", "points"})
HUNDRED = Decimal(100)

# --- Digits ---------------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
# A number: groups of three digits after a separator (the same one throughout), then a fraction
# after the other mark; or digits with one mark.
_NUMBER = re.compile(
    r"(?P<num>\d{1,3}(?P<sep>[,.'\u00a0\u202f\u2009 ])\d{3}(?:(?P=sep)\d{3})*(?![\d])(?:(?!(?P=sep))[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?)(?!\d)"
)
_CURRENCY_SIGNS = {
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
def _tail(code: str) -> re.Pattern[str]:
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


# --- Dates ----------------------------------------------------------------------------------------

_MONTH_NAMES = [
    "january jan janvier janv enero ene januar jän janeiro gennaio gen",
    "february feb février févr febrero februar fevereiro fev febbraio",
    "march mar mars marzo märz mär março",
    "april apr avril abril abr aprile",
    "may mai mayo maio maggio mag",
    "june jun juin junio juni junho giugno giu",
    "july jul juillet juil julio juli julho luglio lug",
    "august aug août agosto ago",
    "september sep sept septembre septiembre setiembre set setembro settembre",
    "october oct octobre octubre oktober okt outubro out ottobre ott",
    "november nov novembre noviembre novembro",
    "december dec décembre déc diciembre dic dezember dez dezembro dicembre",
]
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![^\W\d_])\.?"
_DATES = (
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|º|°|\.)?\s+(?:of\s+|de\s+)?(?P<month>{_MONTH}),?"
        rf"\s+(?:de\s+)?(?P<year>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<![^\W\d_])(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?![\d-])"),
)
_SPACES = re.compile(r"\s+")
_TRIES_PER_DIGIT_RUN = 12
_SCAN_OVER_MATCH = 10
_MONTH_LENGTHS = range(min(map(len, _MONTHS)), max(map(len, _MONTHS)) + 1)


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    written: str
    kind: FigureKind
    value: Decimal | datetime.date
    half: Decimal = Decimal(0)
    """Half the unit of the last digit written: a value nearer than this is the same figure rounded."""
    currency: str | None = None
    unit: str | None = None
    trend: int = 0
    """+1 when the text says it is a rise, -1 a fall, 0 when it says neither."""

    def matches(self, other: Figure) -> bool:
        if self.kind != other.kind:
            return False
        if self.kind not in _NUMERIC:
            return self.value == other.value
        if self.currency and other.currency and self.currency != other.currency:
            return False
        if self.unit != other.unit:
            return False
        a, b = self.value, other.value
        assert isinstance(a, Decimal) and isinstance(b, Decimal)
        if not _same_direction(a, self.trend, b, other.trend):
            return False
        difference = abs(abs(a) - abs(b))
        return difference == 0 or difference < max(self.half, other.half)

    @property
    def key(self) -> str:
        """Where the index keeps figures this one may match: its kind and order of magnitude."""
        if isinstance(self.value, datetime.date):
            return f"date:{self.value.isoformat()}"
        if self.kind == "year":
            return f"year:{int(self.value)}"
        return f"{self.kind}:{_magnitude(self.value)}"

    def entry(self) -> list[Any]:
        return [self.start, self.end, str(self.value), str(self.half), self.currency, self.unit, self.trend]


def _same_direction(a: Decimal, trend_a: int, b: Decimal, trend_b: int) -> bool:
    """A fall is a fall whether written "-3%" or "fell 3%"; a bare "-3" is not a bare "3"."""
    down_a, down_b = a < 0 or trend_a < 0, b < 0 or trend_b < 0
    up_a, up_b = trend_a > 0 and a >= 0, trend_b > 0 and b >= 0
    if (down_a and up_b) or (up_a and down_b):
        return False
    return not ((a < 0 and not down_b) or (b < 0 and not down_a))


def _magnitude(value: Decimal) -> int:
    return abs(value).adjusted() if value else -100


def _half(number: Decimal, scale: Decimal) -> Decimal:
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1) * scale


def read_number(written: str, sep: str | None, decimal_mark: str) -> Decimal | None:
    """The value of digits with separators, read with the text's decimal mark where they are ambiguous."""
    if sep:
        grouped, _, fraction = written.replace(sep, "\x00").partition("." if sep == "," else ",")
        if sep in ".," and written.count(sep) == 1 and not fraction and sep == decimal_mark:
            return _decimal(written.replace(sep, "."))  # "6.000" in English, "1,500" in Spanish
        return _decimal(grouped.replace("\x00", "") + ("." + fraction if fraction else ""))
    return _decimal(written.replace(",", "."))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class _Starts:
    digit: list[int] | None = None
    month: list[int] | None = None


def _starts(text: str) -> _Starts:
    """Where dates can start (None: the text is so dense in digits that scanning is faster): with
    their day or year, which start a run of digits, or with a month name before the whitespace
    before its day."""
    digit_starts = [m.start() for m in _DIGITS.finditer(text)]
    if len(digit_starts) * _TRIES_PER_DIGIT_RUN * _SCAN_OVER_MATCH > len(text):
        return _Starts()
    month_starts: list[int] = []
    backwards = text[::-1]
    for d in digit_starts:
        if d == 0 or not text[d - 1].isspace():
            continue
        spaces = _SPACES.match(backwards, len(text) - d)
        assert spaces is not None
        month_end = d - len(spaces.group())
        if month_end > 0 and text[month_end - 1] == ".":
            month_end -= 1
        month_starts.extend(month_end - length for length in _MONTH_LENGTHS if month_end >= length)
    return _Starts(digit_starts, sorted(set(month_starts)))


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


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    return _MONTHS[text.lower().rstrip(".")]


def _dates(text: str) -> Iterator[Figure]:
    starts = _starts(text)
    day_first, month_first, iso = _DATES
    for pattern, at in ((day_first, starts.digit), (month_first, starts.month), (iso, starts.digit)):
        for match in _matches(pattern, text, at):
            try:
                value = datetime.date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            except (ValueError, KeyError):
                continue
            yield Figure(match.start(), match.end(), match.group(0), "date", value)


# --- Trend ----------------------------------------------------------------------------------------


def _trend(text: str, start: int, end: int, language: Language) -> int:
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


def _digit_figures(text: str, style: Style, taken: list[Figure]) -> Iterator[Figure]:
    tail = _tail(style.language.code)
    taken_starts = [f.start for f in taken]
    taken_reach = list(accumulate((f.end for f in taken), max))
    done = 0
    for run in _DIGITS.finditer(text):
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
        currency = _CURRENCY_SIGNS[found["cur"].lower()]
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
        currency = currency or language.currencies.get(word) or _CURRENCY_SIGNS.get(word)
    written = text[start:end]
    plain = number["num"].isdigit()
    if plain and kind == "number" and len(written) == 4 and 1000 <= value <= 2199:
        return Figure(start, end, written, "year", value)  # a bare four-digit number in the range of years
    half = _half(value, scale)
    value *= scale
    trend = _trend(text, start, end, language)
    return Figure(
        start, end, written, kind, -value if negative else value, half=half, currency=currency, unit=unit, trend=trend
    )


# --- Figures written in words ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    """A language's number words, folded like the text they are looked for in."""

    sequence: re.Pattern[str]
    token: re.Pattern[str]
    ones: dict[str, int]
    multipliers: dict[str, Decimal]
    fractions: dict[str, int]
    halves: frozenset[str]
    joiners: frozenset[str]
    articles: frozenset[str]
    one_in: re.Pattern[str]
    """The joining words and the denominator of "one in three"; the numerator is the word before."""
    small: re.Pattern[str]


def _folded(word: str) -> str:
    return fold(word).text


def _trie(words: set[str]) -> str:
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


@cache
def _words(code: str) -> _Words:
    language = LANGUAGES[code]
    ones = {_folded(w): v for w, v in language.ones.items()}
    multipliers = {_folded(w): v for w, v in language.multipliers.items()}
    fractions = {_folded(w): v for w, v in language.fractions.items()}
    halves = frozenset(map(_folded, language.halves))
    joiners = frozenset(map(_folded, language.joiners))
    token = _trie(set(ones) | set(multipliers) | set(fractions) | halves)
    joiner = "|".join(map(re.escape, joiners))
    glue = "[ -]?" if code == "de" else "[ -]"
    between = f"(?:{glue}(?:(?:{joiner}){glue})?)" if joiner else glue
    sequence = re.compile(rf"(?<![^\W\d_])(?:{token})(?:{between}(?:{token}))*(?![^\W\d_])")
    small = _trie({w for w, v in ones.items() if 1 <= v <= 20})
    one_in = "|".join(re.escape(_folded(w)).replace(r"\ ", " ") for w in language.one_in)
    return _Words(
        sequence=sequence,
        token=re.compile(_trie(set(ones) | set(multipliers) | set(fractions) | halves | joiners)),
        ones=ones,
        multipliers=multipliers,
        fractions=fractions,
        halves=halves,
        joiners=joiners,
        articles=frozenset(map(_folded, language.articles)),
        one_in=re.compile(rf" (?:{one_in}) (?P<b>{small}|\d{{1,3}})(?![^\W_])"),
        small=re.compile(rf"(?:{small}|\d{{1,2}})"),
    )


def _word_value(tokens: list[str], words: _Words) -> tuple[Decimal, Decimal] | None:
    """The value of number words and half the unit they are exact to ("six thousand": 500)."""
    total = current = Decimal(0)
    big = Decimal(0)
    last_big = False
    for token in tokens:
        if token in words.joiners:
            continue
        if token in words.ones:
            current += words.ones[token]
            last_big = False
        elif token in words.multipliers:
            m = words.multipliers[token]
            if m >= 1000:
                if last_big and not current:
                    total *= m
                else:
                    total += (current or 1) * m
                current, big, last_big = Decimal(0), m, True
            else:
                current = (current or 1) * m
                last_big = False
        else:
            return None
    value = total + current
    return value, (big / 2 if last_big else Decimal("0.5"))


def _word_figures(text: str, folded: Folded, style: Style) -> Iterator[Figure]:
    language = style.language
    words = _words(language.code)
    tail = _tail(language.code)
    f = folded.text
    done = 0
    for match in words.sequence.finditer(f):
        if folded.origin(match.start()) < done:
            continue
        tokens = words.token.findall(match.group(0))
        lead = f.rfind(" ", 0, max(0, match.start() - 1)) + 1
        article = match.start() > 0 and f[lead : match.start()].strip() in words.articles
        start = folded.origin(lead if article and tokens[0] not in words.ones else match.start())
        end = folded.origin(match.end() - 1) + 1
        if tokens[-1] in words.fractions or tokens[-1] in words.halves:
            figure = _fraction(text, f, match, tokens, words, start, end, article)
        else:
            figure = _word_number(text, tokens, words, tail, style, start, end)
        if figure is not None:
            done = figure.end
            yield figure


def _word_number(
    text: str, tokens: list[str], words: _Words, tail: re.Pattern[str], style: Style, start: int, end: int
) -> Figure | None:
    parsed = _word_value(tokens, words)
    if parsed is None:
        return None
    value, half = parsed
    after = tail.match(text, end)
    assert after is not None
    kind: FigureKind = "percent" if after["pct"] else "points" if after["points"] else "number"
    if kind == "number" and value < 10:
        return None  # "one of them", "two sides"
    currency = None
    if after["pct"] or after["points"] or after["curword"]:
        end = after.end()
    if after["curword"]:
        word = after["curword"].lower()
        currency = style.language.currencies.get(word) or _CURRENCY_SIGNS.get(word)
    trend = _trend(text, start, end, style.language)
    return Figure(start, end, text[start:end], kind, value, half=half, currency=currency, trend=trend)


def _one_in(text: str, folded: Folded, style: Style) -> Iterator[Figure]:
    """ "One in three", "1 in 5": a percentage."""
    words = _words(style.language.code)
    f = folded.text
    for match in words.one_in.finditer(f):
        lead = f.rfind(" ", 0, match.start()) + 1
        if not words.small.fullmatch(f, lead, match.start()):
            continue
        a, b = _small(f[lead : match.start()], words), _small(match["b"], words)
        if a and b and a < b:
            start, end = folded.origin(lead), folded.origin(match.end() - 1) + 1
            yield Figure(start, end, text[start:end], "percent", HUNDRED * a / b)


def _small(token: str, words: _Words) -> int:
    return int(token) if token.isdigit() else words.ones.get(token, 0)


def _fraction(
    text: str, f: str, match: re.Match[str], tokens: list[str], words: _Words, start: int, end: int, article: bool
) -> Figure | None:
    last = tokens[-1]
    numerator_tokens = tokens[:-1]
    if last in words.halves:
        following = f[match.end() : match.end() + 8].split(" ")[1:2]
        if numerator_tokens or not (article or (following[:1] and following[0] in _OF)):
            return None
        return Figure(start, end, text[start:end], "percent", Decimal(50))
    parsed = _word_value(numerator_tokens, words) if numerator_tokens else (Decimal(1), Decimal(0))
    if parsed is None or (not numerator_tokens and not article):
        return None
    numerator = parsed[0]
    if not 0 < numerator < words.fractions[last]:
        return None
    return Figure(start, end, text[start:end], "percent", HUNDRED * numerator / words.fractions[last])


_OF = frozenset(["of", "de", "des", "du", "der", "dos", "das", "da", "di", "dei", "delle", "degli"])


# --- All of them ----------------------------------------------------------------------------------


def find_figures(text: str, style: Style, folded: Folded | None = None) -> list[Figure]:
    """Every date, year, number and percentage in the text, in order. Dates and "one in three" claim
    their digits; figures in words do not take digits' places."""
    folded = folded if folded is not None else fold(text)
    claimed = sorted([*_dates(text), *_one_in(text, folded, style)], key=lambda f: f.start)
    found = [*claimed, *_digit_figures(text, style, claimed)]
    taken = sorted((f.start, f.end) for f in found)
    for figure in _word_figures(text, folded, style):
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
    if figure.kind not in _NUMERIC:
        hits = [(start, end) for start, end, *_ in index.get(figure.key, ())]
        return min(hits) if hits else None
    assert isinstance(figure.value, Decimal)
    magnitude = _magnitude(figure.value)
    target, reach = abs(float(figure.value)), float(figure.half)
    hits = [
        (start, end)
        for m in (magnitude - 1, magnitude, magnitude + 1)
        for start, end, value, half, currency, unit, trend in index.get(f"{figure.kind}:{m}", ())
        # A cheap look first; the exact comparison, in decimals, for the few that pass.
        if abs(abs(float(value)) - target) <= max(reach, float(half)) * 1.001 + 1e-9
        and figure.matches(Figure(start, end, "", figure.kind, Decimal(value), Decimal(half), currency, unit, trend))
    ]
    return min(hits) if hits else None
