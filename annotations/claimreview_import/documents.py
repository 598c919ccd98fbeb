"""A document as published: its size, its text, JSON or JSON Lines, and a page's ld+json blocks."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import Any

import lxml.html
import orjson
from lxml import etree

from annotations.claimreview_import.review import (
    _LD_JSON,
    MAX_DOCUMENT_BYTES,
    MAX_ITEMS,
    MAX_SCRIPTS,
    UnreadableDocument,
)


def _check_size(size: int) -> None:
    if size > MAX_DOCUMENT_BYTES:
        raise UnreadableDocument(
            f"The document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB; split it into smaller files."
        )


def _decode(body: bytes, charset: str | None) -> str:
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    try:
        return body.decode(codecs.lookup(charset).name if charset else "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _looks_like_html(text: str) -> bool:
    return text.lstrip()[:1] == "<"


def _parse_json_text(text: str) -> Any:
    """The JSON document, or a list of the documents of a JSON Lines file."""
    if not text.strip():
        raise UnreadableDocument("The document is empty.")
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as whole:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines):
            if len(lines) > MAX_ITEMS:
                raise _too_many(len(lines)) from whole
            try:
                return [orjson.loads(line) for line in lines]
            except orjson.JSONDecodeError as exc:
                raise UnreadableDocument(f"The document is not JSON, nor JSON with one object a line: {exc}.") from exc
        raise UnreadableDocument(f"The document is not JSON: {whole}.") from whole


def _ld_json_blocks(page: str) -> Iterator[str]:
    if not page.strip():
        return
    try:
        root = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"The page cannot be read as HTML: {exc}.") from exc
    found = 0
    for script in root.iter("script"):
        if _LD_JSON.match(script.get("type") or ""):
            found += 1
            if found > MAX_SCRIPTS:
                raise UnreadableDocument(f"The page has more than {MAX_SCRIPTS} JSON-LD blocks.")
            yield script.text or ""


def _unwrapped(block: str) -> str:
    """The block without the HTML comment or CDATA markers some sites wrap it in."""
    text = block.strip()
    for start, end in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")):
        if text.startswith(start) and text.endswith(end):
            text = text[len(start) : -len(end)].strip()
    return text


def _too_many(count: int) -> UnreadableDocument:
    return UnreadableDocument(
        f"The document lists {count:,} items or more; at most {MAX_ITEMS:,} are read at once. "
        "Split it into smaller files."
    )
