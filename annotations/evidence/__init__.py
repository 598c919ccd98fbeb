"""Where a preserved source backs up a claim: its quote, restatement and key figures.

A fact-checker reviewing a claim wants to see at a glance whether the cited
report really contains the quoted words and the numbers, amounts,
percentages, dates and quoted phrases the claim rests on, even when the
report writes them differently ("$770bn" for "$770 billion", "1,5 millones" for "1.5 million").
All offsets are in code points of the snapshot text, like every other offset in the workbench;
each found item gives the paragraph (or, for a PDF, the page) it is in and an excerpt around it
with the match's place in the excerpt.

The work is in two parts. `prepare` reads a report once: it folds the text (see `folding`) and
indexes its figures; the result can be kept (`Report.parts`, `Report.from_parts`). `evidence_in`
then checks one claim against a prepared report, which costs little more than a substring
search, however many claims cite the report.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from annotations.evidence.figures import Figure, FigureIndex, figure_in, figure_index, find_figures
from annotations.evidence.folding import INVISIBLE, Folded, OffsetMap, fold, fold_needle, loosen
from annotations.evidence.languages import style_of
from annotations.evidence.quotations import quoted_phrases

__all__ = ["EVIDENCE_VERSION", "EvidenceItem", "EvidenceKind", "Report", "evidence_in", "find_evidence", "prepare"]

EVIDENCE_VERSION = 2
"""What the evidence check finds and how a prepared report is kept. A new version makes every kept
report out of date, and every source's evidence (which a migration then marks pending, so that the
outbox sweep has it found again)."""

EvidenceKind = Literal["quote", "restated", "figure", "quotation"]

_CONTEXT = 60
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


@dataclass(frozen=True)
class EvidenceItem:
    kind: EvidenceKind
    label: str
    found: bool
    paragraph: int | None
    start: int | None
    end: int | None
    excerpt: str
    page: int | None = None
    mark_start: int | None = None
    """Where the match is in `excerpt` (code points), for showing it marked."""
    mark_end: int | None = None


@dataclass(frozen=True)
class Report:
    """A report's text prepared for checking claims against it."""

    text: str
    folded: Folded
    loose: Folded
    figures: FigureIndex
    page_starts: tuple[int, ...] = ()
    """Where each page starts, for a PDF (see `annotations.extraction.page_starts`)."""

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
        cls,
        *,
        text: str,
        folded: str,
        folded_offsets: bytes,
        loose: str,
        loose_offsets: bytes,
        figures: FigureIndex,
        page_starts: tuple[int, ...] = (),
    ) -> Report:
        maps = tuple(OffsetMap.from_bytes(part) for part in _unsized(bytes(folded_offsets)))
        return cls(
            text=text,
            folded=Folded(folded, maps),
            loose=Folded(loose, (*maps, OffsetMap.from_bytes(bytes(loose_offsets)))),
            figures=figures,
            page_starts=page_starts,
        )

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [m.start() for m in _PARAGRAPH.finditer(self.text)]

    def paragraph(self, position: int) -> int | None:
        number = bisect.bisect_right(self._paragraph_starts, position)
        return number or None

    def through_marks(self, end: int) -> int:
        """`end` moved past combining marks, so a span never ends inside a character as read."""
        text = self.text
        while end < len(text) and (unicodedata.combining(text[end]) or "\u1160" <= text[end] <= "\u11ff"):
            end += 1
        return end

    def excerpt(self, start: int, end: int) -> tuple[str, int, int]:
        """The words around text[start:end] on its line, whitespace collapsed, and where the span is in them."""
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
        before = "…" if left > 0 and text[left - 1] != "\n" else ""
        after = "…" if right < len(text) and text[right] != "\n" else ""
        lead = _shown(text[left:start]).lstrip()
        match = _shown(text[start:end])
        trail = _shown(text[end:right]).rstrip()
        if lead.endswith(" ") and match.startswith(" "):
            match = match[1:]
        if (lead + match).endswith(" ") and trail.startswith(" "):
            trail = trail[1:]
        if not lead and not match.strip():
            match = ""
        mark = len(before) + len(lead)
        return before + lead + match + trail + after, mark, mark + len(match)


def _shown(text: str) -> str:
    return _INVISIBLE.sub("", _SPACES.sub(" ", text))


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
    figures = figure_index(text, style_of(text), folded)
    return Report(text=text, folded=folded, loose=loosen(folded), figures=figures)


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
    end = report.through_marks(match.end)
    paragraph = report.paragraph(match.start)
    page = (bisect.bisect_right(report.page_starts, match.start) or None) if report.page_starts else None
    how = " (ignoring punctuation)" if match.approximate else ""
    where = f", page {page}" if page else f", paragraph {paragraph}" if paragraph else ""
    excerpt, mark_start, mark_end = report.excerpt(match.start, end)
    return EvidenceItem(
        kind=kind,
        label=f"{shown} — found in the report{how}{where}",
        found=True,
        paragraph=paragraph,
        start=match.start,
        end=end,
        excerpt=excerpt,
        page=page,
        mark_start=mark_start,
        mark_end=mark_end,
    )


def evidence_in(report: Report, *, quote: str, restated: str = "", language: str = "") -> list[EvidenceItem]:
    """Check a prepared report for the claim's quote, restatement, key figures and quoted phrases.

    The claim's figures are read in its article's `language` (a BCP 47 tag; when blank, the one its
    words are in).
    Items come in a stable order: quote, restated claim, then figures and
    quoted phrases in the order they appear in the claim.
    """
    items: list[EvidenceItem] = []
    if quote.strip():
        items.append(_item(report, "quote", "The quoted claim", _find_phrase(report, quote)))
    if restated.strip():
        items.append(_item(report, "restated", "The restated claim", _find_phrase(report, restated)))

    style = style_of(f"{quote}\n{restated}", language=language)
    folded_quote = fold_needle(quote)
    seen_figures: list[Figure] = []
    seen_phrases: list[str] = []
    for source in (quote, restated):
        for figure in find_figures(source, style):
            if any(figure.matches(seen) for seen in seen_figures):
                continue
            seen_figures.append(figure)
            hit = figure_in(report.figures, figure)
            items.append(_item(report, "figure", figure.written, _Match(*hit) if hit else None))
        for phrase in quoted_phrases(source):
            folded = fold_needle(phrase)
            if folded in seen_phrases or folded == folded_quote:
                continue
            seen_phrases.append(folded)
            found = _find_phrase(report, phrase)
            items.append(_item(report, "quotation", f"\u201c{phrase}\u201d", found))
    return items


def find_evidence(
    *, text: str, quote: str, restated: str = "", language: str = "", page_starts: Sequence[int] = ()
) -> list[EvidenceItem]:
    """Check the text for the claim's quote, restatement and key figures (`prepare`, then `evidence_in`)."""
    report = dataclasses.replace(prepare(text), page_starts=tuple(page_starts))
    return evidence_in(report, quote=quote, restated=restated, language=language)
