"""Turning a preserved source document into readable text for annotation.

HTML articles go through trafilatura (main text without navigation, plus
title, author and date), PDFs through pypdf page by page, plain text as is.
Anything else is kept as a snapshot but not extracted.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

import pypdf
import trafilatura

logger = logging.getLogger(__name__)

ExtractionState = Literal["extracted", "not_extracted", "failed"]

MAX_INPUT_BYTES = 20 * 1024 * 1024
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
TEXT_TYPES = frozenset({"text/plain"})

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_ENDINGS = re.compile(r"\r\n?")


@dataclass(frozen=True)
class Extraction:
    state: ExtractionState
    title: str = ""
    byline: str = ""
    published: str | None = None
    text: str = ""
    pages: list[str] = field(default_factory=list)
    reason: str = ""


def clean_text(value: str | None) -> str:
    """Drop C0/C1 control characters (keeping newlines and tabs) and unify line endings."""
    if not value:
        return ""
    return _CONTROL.sub("", _LINE_ENDINGS.sub("\n", value))


PAGE_BREAK = "\n\n"


def pdf_text(pages: Sequence[str]) -> str:
    """A PDF's text: its pages' text, each stripped, a blank line between them."""
    return PAGE_BREAK.join(page.strip() for page in pages)


def page_starts(pages: Sequence[str], length: int | None) -> list[int]:
    """Where each page starts (code points) in the text made of these pages (`pdf_text`): an offset
    is on page `bisect_right(starts, offset)`. Empty when the text's `length` (None: not known)
    shows it is not made of them."""
    starts: list[int] = []
    at = 0
    for page in pages:
        starts.append(at)
        at += len(page.strip()) + len(PAGE_BREAK)
    return starts if pages and length in (None, at - len(PAGE_BREAK)) else []


def _decode(data: bytes, charset: str | None) -> str:
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    return data.decode(charset or "utf-8", errors="replace")


def _extract_html(data: bytes, charset: str | None, url: str) -> Extraction:
    document = trafilatura.bare_extraction(
        _decode(data, charset) if charset else data,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=False,
    )
    if document is None or isinstance(document, dict):
        return Extraction(state="failed", reason="No article text could be found on this page.")
    text = clean_text(document.text)
    if not text.strip():
        return Extraction(state="failed", reason="No article text could be found on this page.")
    return Extraction(
        state="extracted",
        title=clean_text(document.title).strip(),
        byline=clean_text(document.author).strip(),
        published=clean_text(document.date).strip() or None,
        text=text,
    )


def _extract_pdf(data: bytes) -> Extraction:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises several kinds for bad passwords
                return Extraction(state="failed", reason="The PDF is password-protected and cannot be read.")
        pages = [clean_text(page.extract_text()) for page in reader.pages]
        metadata = reader.metadata
        title = clean_text(metadata.title if metadata else None).strip()
        byline = clean_text(metadata.author if metadata else None).strip()
        created = metadata.creation_date if metadata else None
    except Exception as exc:  # noqa: BLE001 - malformed PDFs fail in many ways inside pypdf
        logger.info("PDF extraction failed: %s", exc)
        return Extraction(state="failed", reason=f"The PDF could not be read: {exc}.")
    text = pdf_text(pages)
    if not text.strip():
        return Extraction(
            state="failed",
            pages=pages,
            reason="The PDF has no text layer (it may be a scan); nothing could be extracted.",
        )
    return Extraction(
        state="extracted",
        title=title,
        byline=byline,
        published=created.date().isoformat() if created else None,
        text=text,
        pages=pages,
    )


def extract(body: BinaryIO, *, content_type: str, charset: str | None, url: str) -> Extraction:
    """Extract readable text from a fetched document, reading at most MAX_INPUT_BYTES."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in HTML_TYPES | TEXT_TYPES | PDF_TYPES:
        shown = media_type or "an unknown type"
        return Extraction(
            state="not_extracted",
            reason=f"Text is not extracted from {shown} documents; the snapshot is kept as is.",
        )
    data = body.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        return Extraction(state="failed", reason="The document is too large to extract text from.")
    if media_type in PDF_TYPES:
        return _extract_pdf(data)
    if media_type in TEXT_TYPES:
        return Extraction(state="extracted", text=clean_text(_decode(data, charset)))
    return _extract_html(data, charset, url)
