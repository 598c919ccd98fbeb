"""Where a preserved source backs up a claim: its quote, restatement and key figures.

A fact-checker reviewing a claim wants to see at a glance whether the cited
report really contains the quoted words and the numbers, amounts,
percentages, dates and quoted phrases the claim rests on, even when the
report writes them differently ("$770bn" for "$770 billion"). All offsets are
in code points of the snapshot text, like every other offset in the workbench.
"""

from __future__ import annotations

import bisect
import datetime
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

EvidenceKind = Literal["quote", "restated", "figure", "quotation"]

_CONTEXT = 60


@dataclass(frozen=True)
class EvidenceItem:
    kind: EvidenceKind
    label: str
    found: bool
    paragraph: int | None
    start: int | None
    end: int | None
    excerpt: str


# --- Folding text so that case, spacing and quote-mark styles do not matter. ---

_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


def _fold(text: str, *, drop_punctuation: bool = False) -> tuple[str, list[int]]:
    """Fold text for matching, with the original code-point index of each folded character."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            chars.append(" ")
            origin.append(index)
            continue
        if drop_punctuation and unicodedata.category(char)[0] in "PS":
            continue
        for folded in char.translate(_QUOTE_MARKS).casefold():
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _fold_needle(text: str, *, drop_punctuation: bool = False) -> str:
    folded, _ = _fold(
        text.strip().strip("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb").strip(), drop_punctuation=drop_punctuation
    )
    return folded.strip()


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    approximate: bool = False


class _Report:
    """The snapshot text, folded once, with its paragraph boundaries."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, self.origin = _fold(text)
        self._loose: tuple[str, list[int]] | None = None
        self.paragraph_starts: list[int] = [m.start() for m in re.finditer(r"[^\n]*\S[^\n]*", text)]

    def paragraph(self, position: int) -> int | None:
        number = bisect.bisect_right(self.paragraph_starts, position)
        return number or None

    def excerpt(self, start: int, end: int) -> str:
        line_end = self.text.find("\n", end)
        left = max(self.text.rfind("\n", 0, start) + 1, start - _CONTEXT)
        right = min(len(self.text) if line_end == -1 else line_end, end + _CONTEXT)
        if left > 0:
            space = self.text.find(" ", left, start)
            left = space + 1 if space != -1 else left
        if right < len(self.text):
            space = self.text.rfind(" ", end, right)
            right = space if space != -1 else right
        body = " ".join(self.text[left:right].split())
        before = "…" if left > 0 and self.text[left - 1] != "\n" else ""
        after = "…" if right < len(self.text) and self.text[right] != "\n" else ""
        return before + body + after

    def _search(self, folded: str, origin: list[int], needle: str) -> tuple[int, int] | None:
        at = folded.find(needle)
        if at == -1 or not needle:
            return None
        return origin[at], origin[at + len(needle) - 1] + 1

    def find_phrase(self, phrase: str) -> _Match | None:
        exact = self._search(self.folded, self.origin, _fold_needle(phrase))
        if exact is not None:
            return _Match(*exact)
        if self._loose is None:
            self._loose = _fold(self.text, drop_punctuation=True)
        loose = self._search(*self._loose, _fold_needle(phrase, drop_punctuation=True))
        if loose is not None:
            return _Match(*loose, approximate=True)
        return None


# --- Figures: numbers with scale, money, percentages, dates. ---

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

_QUOTATION = re.compile(r'"([^"\n]+)"|\u201c([^\u201d\n]+)\u201d|\u2018([^\u2019\n]+)\u2019|\u00ab([^\u00bb\n]+)\u00bb')


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    written: str
    value: Decimal | datetime.date
    percent: bool = False
    currency: str | None = None

    def matches(self, other: _Figure) -> bool:
        if isinstance(self.value, datetime.date) or isinstance(other.value, datetime.date):
            return self.value == other.value
        if self.percent != other.percent or self.value != other.value:
            return False
        return self.currency is None or other.currency is None or self.currency == other.currency


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    return _MONTHS[text.lower().rstrip(".")]


def _dates(text: str) -> Iterator[_Figure]:
    for pattern in _DATES:
        for match in pattern.finditer(text):
            try:
                value = datetime.date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            except ValueError:
                continue
            yield _Figure(match.start(), match.end(), match.group(0), value)


def _figures(text: str) -> list[_Figure]:
    """Every date and number in the text, dates first claiming their digits."""
    found = sorted(_dates(text), key=lambda f: f.start)
    taken = [(f.start, f.end) for f in found]
    for match in _FIGURE.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        try:
            value = Decimal(match["num"].replace(",", ""))
        except InvalidOperation:
            continue
        scale = (match["scale"] or match["suffix"] or "").lower()
        if scale:
            value *= _SCALES[scale]
        currency_text = (match["cur"] or match["curword"] or "").strip().lower()
        found.append(
            _Figure(
                match.start(),
                match.end(),
                match.group(0).strip(),
                value,
                percent=bool(match["pct"]),
                currency=_CURRENCIES.get(currency_text),
            )
        )
    return sorted(found, key=lambda f: f.start)


def _quotations(text: str) -> list[str]:
    phrases: list[str] = []
    for match in _QUOTATION.finditer(text):
        phrase = next(group for group in match.groups() if group is not None).strip()
        if len(phrase) >= 2 and phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _item(report: _Report, kind: EvidenceKind, shown: str, match: _Match | None) -> EvidenceItem:
    if match is None:
        return EvidenceItem(
            kind=kind,
            label=f"{shown} — not found in the report",
            found=False,
            paragraph=None,
            start=None,
            end=None,
            excerpt="",
        )
    paragraph = report.paragraph(match.start)
    how = " (ignoring punctuation)" if match.approximate else ""
    where = f", paragraph {paragraph}" if paragraph else ""
    return EvidenceItem(
        kind=kind,
        label=f"{shown} — found in the report{how}{where}",
        found=True,
        paragraph=paragraph,
        start=match.start,
        end=match.end,
        excerpt=report.excerpt(match.start, match.end),
    )


def find_evidence(*, text: str, quote: str, restated: str = "") -> list[EvidenceItem]:
    """Check the snapshot text for the claim's quote, restatement and key figures.

    Items come in a stable order: quote, restated claim, then figures and
    quoted phrases in the order they appear in the claim.
    """
    report = _Report(text)
    items: list[EvidenceItem] = []
    if quote.strip():
        items.append(_item(report, "quote", "The quoted claim", report.find_phrase(quote)))
    if restated.strip():
        items.append(_item(report, "restated", "The restated claim", report.find_phrase(restated)))

    text_figures = _figures(text)
    seen_figures: list[_Figure] = []
    seen_phrases: list[str] = []
    for source in (quote, restated):
        for figure in _figures(source):
            if any(figure.matches(seen) and type(figure.value) is type(seen.value) for seen in seen_figures):
                continue
            seen_figures.append(figure)
            hit = next((f for f in text_figures if figure.matches(f)), None)
            items.append(_item(report, "figure", figure.written, _Match(hit.start, hit.end) if hit else None))
        for phrase in _quotations(source):
            folded = _fold_needle(phrase)
            if folded in seen_phrases or folded == _fold_needle(quote):
                continue
            seen_phrases.append(folded)
            items.append(_item(report, "quotation", f"\u201c{phrase}\u201d", report.find_phrase(phrase)))
    return items
