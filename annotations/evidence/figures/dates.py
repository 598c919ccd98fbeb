"""Dates however a text writes them ("3 March 2024", "March 3, 2024", "2024-03-03").

Only the places where a date can start are tried: a run of digits, or a month name before one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotations.evidence.figures.digits import DIGITS
from annotations.evidence.figures.figure import Figure

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
class _Starts:
    digit: list[int] | None = None
    month: list[int] | None = None


def _starts(text: str) -> _Starts:
    """Where dates can start (None: the text is so dense in digits that scanning is faster): with
    their day or year, which start a run of digits, or with a month name before the whitespace
    before its day."""
    digit_starts = [m.start() for m in DIGITS.finditer(text)]
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


def find_dates(text: str) -> Iterator[Figure]:
    starts = _starts(text)
    day_first, month_first, iso = _DATES
    for pattern, at in ((day_first, starts.digit), (month_first, starts.month), (iso, starts.digit)):
        for match in _matches(pattern, text, at):
            try:
                value = datetime.date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            except (ValueError, KeyError):
                continue
            yield Figure(match.start(), match.end(), match.group(0), "date", value)
