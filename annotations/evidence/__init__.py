"""Where a preserved source backs up a claim: its quote, restatement and key figures.

A fact-checker reviewing a claim wants to see at a glance whether the cited
report really contains the quoted words and the numbers, amounts,
percentages, dates and quoted phrases the claim rests on, even when the
report writes them differently ("$770bn" for "$770 billion"). All offsets are
in code points of the snapshot text, like every other offset in the workbench.

The work is in two parts. `prepare` reads a report once: it folds the text (see `folding`) and
indexes its figures; the result can be kept (`Report.parts`, `Report.from_parts`). `evidence_in`
then checks one claim against a prepared report, which costs little more than a substring
search, however many claims cite the report.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from annotations.evidence.figures import Figure, FigureIndex, figure_in, figure_index, find_figures
from annotations.evidence.folding import Folded, OffsetMap, fold, fold_needle, loosen

__all__ = ["EVIDENCE_VERSION", "EvidenceItem", "EvidenceKind", "Report", "evidence_in", "find_evidence", "prepare"]

EVIDENCE_VERSION = 1
"""What the evidence check finds and how a prepared report is kept. A new version makes every kept
report out of date, and every source's evidence (which a migration then marks pending, so that the
outbox sweep has it found again)."""

EvidenceKind = Literal["quote", "restated", "figure", "quotation"]

_CONTEXT = 60
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
_QUOTATION = re.compile(r'"([^"\n]+)"|\u201c([^\u201d\n]+)\u201d|\u2018([^\u2019\n]+)\u2019|\u00ab([^\u00bb\n]+)\u00bb')


@dataclass(frozen=True)
class EvidenceItem:
    kind: EvidenceKind
    label: str
    found: bool
    paragraph: int | None
    start: int | None
    end: int | None
    excerpt: str


@dataclass(frozen=True)
class Report:
    """A report's text prepared for checking claims against it."""

    text: str
    folded: Folded
    loose: Folded
    figures: FigureIndex

    def parts(self) -> dict[str, Any]:
        """What to keep of the preparation (the text itself is kept elsewhere): strings, bytes and JSON."""
        return {
            "folded": self.folded.text,
            "folded_offsets": b"".join(_sized(m.to_bytes()) for m in self.folded.maps),
            "loose": self.loose.text,
            "loose_offsets": self.loose.maps[-1].to_bytes(),
            "figures": self.figures,
        }

    @classmethod
    def from_parts(
        cls, *, text: str, folded: str, folded_offsets: bytes, loose: str, loose_offsets: bytes, figures: FigureIndex
    ) -> Report:
        maps = tuple(OffsetMap.from_bytes(part) for part in _unsized(bytes(folded_offsets)))
        return cls(
            text=text,
            folded=Folded(folded, maps),
            loose=Folded(loose, (*maps, OffsetMap.from_bytes(bytes(loose_offsets)))),
            figures=figures,
        )

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [m.start() for m in _PARAGRAPH.finditer(self.text)]

    def paragraph(self, position: int) -> int | None:
        number = bisect.bisect_right(self._paragraph_starts, position)
        return number or None

    def excerpt(self, start: int, end: int) -> str:
        text = self.text
        line_end = text.find("\n", end)
        left = max(text.rfind("\n", 0, start) + 1, start - _CONTEXT)
        right = min(len(text) if line_end == -1 else line_end, end + _CONTEXT)
        if left > 0:
            space = text.find(" ", left, start)
            left = space + 1 if space != -1 else left
        if right < len(text):
            space = text.rfind(" ", end, right)
            right = space if space != -1 else right
        body = " ".join(text[left:right].split())
        before = "…" if left > 0 and text[left - 1] != "\n" else ""
        after = "…" if right < len(text) and text[right] != "\n" else ""
        return before + body + after


def _sized(data: bytes) -> bytes:
    return len(data).to_bytes(4, "little") + data


def _unsized(data: bytes) -> list[bytes]:
    parts: list[bytes] = []
    at = 0
    while at < len(data):
        size = int.from_bytes(data[at : at + 4], "little")
        parts.append(data[at + 4 : at + 4 + size])
        at += 4 + size
    return parts


def prepare(text: str) -> Report:
    """Fold the text and index its figures: the part of the check that depends on the report alone."""
    folded = fold(text)
    return Report(text=text, folded=folded, loose=loosen(folded), figures=figure_index(text))


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    approximate: bool = False


def _find_phrase(report: Report, phrase: str) -> _Match | None:
    exact = report.folded.find(fold_needle(phrase))
    if exact is not None:
        return _Match(*exact)
    loose = report.loose.find(fold_needle(phrase, loose=True))
    if loose is not None:
        return _Match(*loose, approximate=True)
    return None


def _quotations(text: str) -> list[str]:
    phrases: list[str] = []
    for match in _QUOTATION.finditer(text):
        phrase = next(group for group in match.groups() if group is not None).strip()
        if len(phrase) >= 2 and phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _item(report: Report, kind: EvidenceKind, shown: str, match: _Match | None) -> EvidenceItem:
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


def evidence_in(report: Report, *, quote: str, restated: str = "") -> list[EvidenceItem]:
    """Check a prepared report for the claim's quote, restatement and key figures.

    Items come in a stable order: quote, restated claim, then figures and
    quoted phrases in the order they appear in the claim.
    """
    items: list[EvidenceItem] = []
    if quote.strip():
        items.append(_item(report, "quote", "The quoted claim", _find_phrase(report, quote)))
    if restated.strip():
        items.append(_item(report, "restated", "The restated claim", _find_phrase(report, restated)))

    folded_quote = fold_needle(quote)
    seen_figures: list[Figure] = []
    seen_phrases: list[str] = []
    for source in (quote, restated):
        for figure in find_figures(source):
            if any(figure.matches(seen) and type(figure.value) is type(seen.value) for seen in seen_figures):
                continue
            seen_figures.append(figure)
            hit = figure_in(report.figures, figure)
            items.append(_item(report, "figure", figure.written, _Match(*hit) if hit else None))
        for phrase in _quotations(source):
            folded = fold_needle(phrase)
            if folded in seen_phrases or folded == folded_quote:
                continue
            seen_phrases.append(folded)
            items.append(_item(report, "quotation", f"\u201c{phrase}\u201d", _find_phrase(report, phrase)))
    return items


def find_evidence(*, text: str, quote: str, restated: str = "") -> list[EvidenceItem]:
    """Check the text for the claim's quote, restatement and key figures (`prepare`, then `evidence_in`)."""
    return evidence_in(prepare(text), quote=quote, restated=restated)
