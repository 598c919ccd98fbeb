"""A figure: what kind it is, its value and how precisely it is written, and when two are the same."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

FigureKind = Literal["number", "percent", "points", "year", "date"]
NUMERIC: frozenset[str] = frozenset({"number", "percent", "points"})
HUNDRED = Decimal(100)


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
        if self.kind not in NUMERIC:
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
        return f"{self.kind}:{magnitude(self.value)}"

    def entry(self) -> list[Any]:
        return [self.start, self.end, str(self.value), str(self.half), self.currency, self.unit, self.trend]


def _same_direction(a: Decimal, trend_a: int, b: Decimal, trend_b: int) -> bool:
    """A fall is a fall whether written "-3%" or "fell 3%"; a bare "-3" is not a bare "3"."""
    down_a, down_b = a < 0 or trend_a < 0, b < 0 or trend_b < 0
    up_a, up_b = trend_a > 0 and a >= 0, trend_b > 0 and b >= 0
    if (down_a and up_b) or (up_a and down_b):
        return False
    return not ((a < 0 and not down_b) or (b < 0 and not down_a))


def magnitude(value: Decimal) -> int:
    return abs(value).adjusted() if value else -100


def half_unit(number: Decimal, scale: Decimal) -> Decimal:
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
