"""The reader-visible text of an article, with its block and inline structure.

Every offset a claim stores counts Unicode code points of ``ReaderDocument.text``
(W3C Web Annotation model). The reading view is rendered from the same document
(``reading_html.render_reading_html``), so the text nodes a browser builds for a
block are exactly ``text[block.start:block.end]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html
from markdown_it import MarkdownIt
from markdown_it.token import Token

SOURCE_FORMATS = frozenset({"markdown", "html", "text"})
BLOCK_SEPARATOR = "\n\n"

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_HTML_WHITESPACE = re.compile(r"[ \t\n\f\r]+")


@dataclass(frozen=True)
class Block:
    """A block of reader text; ``level`` is the heading level or list/quote depth."""

    kind: str
    start: int
    end: int
    level: int = 0


@dataclass(frozen=True)
class Mark:
    """Inline formatting over ``text[start:end]``; ``kind`` "break" is a hard line break."""

    kind: str
    start: int
    end: int
    href: str | None = None


@dataclass(frozen=True)
class ReaderDocument:
    text: str
    blocks: tuple[Block, ...]
    marks: tuple[Mark, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "text": self.text,
            "blocks": [[b.kind, b.start, b.end, b.level] for b in self.blocks],
            "marks": [[m.kind, m.start, m.end, m.href] for m in self.marks],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReaderDocument:
        if data.get("version") != 1:
            raise ValueError(f"unsupported reader document version: {data.get('version')!r}")
        return cls(
            text=str(data["text"]),
            blocks=tuple(Block(str(k), int(s), int(e), int(lv)) for k, s, e, lv in data["blocks"]),
            marks=tuple(Mark(str(k), int(s), int(e), None if h is None else str(h)) for k, s, e, h in data["marks"]),
        )


def normalize_source(source: str) -> str:
    """Line endings become LF; characters no browser DOM can hold become U+FFFD.

    Everything else (tabs, NBSP, zero-width and bidi characters, combining marks)
    is kept, because the browser keeps it and selections include it.
    """
    text = source.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    return _LONE_SURROGATE.sub("\ufffd", text)


def reader_document(source: str, source_format: str) -> ReaderDocument:
    """Build the reader-visible text of ``source`` ("markdown", "html" or "text")."""
    if source_format not in SOURCE_FORMATS:
        raise ValueError(f"unknown source format {source_format!r}; expected one of {sorted(SOURCE_FORMATS)}")
    builder = _Builder()
    source = normalize_source(source)
    if source_format == "markdown":
        _markdown_into(builder, source)
    elif source_format == "html":
        _html_into(builder, source)
    else:
        for paragraph in _BLANK_LINES.split(source):
            paragraph = paragraph.strip("\n")
            if paragraph.strip(" \t"):
                builder.add_block("paragraph", 0, paragraph, [])
    return builder.document()


@dataclass
class _Builder:
    """Joins blocks with BLOCK_SEPARATOR and shifts their marks into document offsets."""

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    length: int = 0

    def add_block(self, kind: str, level: int, text: str, marks: Iterable[Mark]) -> None:
        if not text:
            return
        if self.parts:
            self.parts.append(BLOCK_SEPARATOR)
            self.length += len(BLOCK_SEPARATOR)
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        self.blocks.append(Block(kind, start, self.length, level))
        for mark in marks:
            end = min(mark.end, len(text))
            if mark.start < end:
                self.marks.append(Mark(mark.kind, start + mark.start, start + end, mark.href))

    def document(self) -> ReaderDocument:
        marks = sorted(self.marks, key=lambda m: (m.start, -m.end, m.kind))
        return ReaderDocument("".join(self.parts), tuple(self.blocks), tuple(marks))


# --- Markdown -----------------------------------------------------------------

# Indented code blocks are off: article exports indent paragraphs with tabs/spaces
# and mean prose, not code. Fenced code still works.
_MARKDOWN = MarkdownIt("commonmark").disable("code")

_INLINE_MARKS = {"em": "em", "strong": "strong", "link": "link"}


def _markdown_into(builder: _Builder, source: str) -> None:
    containers: list[str] = []  # "list_item" / "blockquote", innermost last
    heading_level = 0
    for token in _MARKDOWN.parse(source):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            containers.append("list_item")
        elif kind == "blockquote_open":
            containers.append("blockquote")
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            containers.pop()
        elif kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "inline":
            text, marks = _markdown_inline(token.children or [])
            if heading_level:
                builder.add_block("heading", heading_level, text, marks)
            else:
                builder.add_block(*_container_kind(containers), text, marks)
        elif kind in ("fence", "code_block"):
            builder.add_block("code", 0, token.content.strip("\n"), [])
        elif kind == "html_block":
            _html_into(builder, token.content)


def _container_kind(containers: Sequence[str]) -> tuple[str, int]:
    if not containers:
        return "paragraph", 0
    innermost = containers[-1]
    return innermost, sum(1 for c in containers if c == innermost)


def _markdown_inline(children: Sequence[Token]) -> tuple[str, list[Mark]]:
    parts: list[str] = []
    length = 0
    open_marks: list[tuple[str, int, str | None]] = []
    marks: list[Mark] = []

    def append(piece: str, mark_kind: str | None = None) -> None:
        nonlocal length
        if mark_kind and piece:
            marks.append(Mark(mark_kind, length, length + len(piece)))
        parts.append(piece)
        length += len(piece)

    for child in children:
        kind = child.type
        if kind == "image":
            continue
        if kind in ("text", "text_special"):
            append(child.content)
        elif kind == "softbreak":
            append("\n")
        elif kind == "hardbreak":
            append("\n", "break")
        elif kind == "code_inline":
            append(child.content, "code")
        elif kind.endswith("_open") and kind[:-5] in _INLINE_MARKS:
            href = child.attrGet("href") if kind == "link_open" else None
            open_marks.append((_INLINE_MARKS[kind[:-5]], length, None if href is None else str(href)))
        elif kind.endswith("_close") and kind[:-6] in _INLINE_MARKS:
            wanted = _INLINE_MARKS[kind[:-6]]
            for index in range(len(open_marks) - 1, -1, -1):
                if open_marks[index][0] == wanted:
                    mark_kind, start, href = open_marks.pop(index)
                    if start < length:
                        marks.append(Mark(mark_kind, start, length, href))
                    break
        # html_inline tags are markup: dropped; the text between them is kept.
    return "".join(parts), marks


# --- HTML ---------------------------------------------------------------------

_SKIPPED_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "aside",
        "footer",
        "form",
        "button",
        "select",
        "option",
        "textarea",
        "input",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "audio",
        "video",
        "head",
        "title",
    ]
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "address",
        "details",
        "summary",
        "hr",
        "body",
        "html",
        "center",
    ]
)
_INLINE_TAG_MARKS = {
    "em": "em",
    "i": "em",
    "cite": "em",
    "dfn": "em",
    "strong": "strong",
    "b": "strong",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
    "a": "link",
}


@dataclass
class _HtmlBlockText:
    """Inline content of the block being collected, with CSS-like whitespace collapsing."""

    chars: list[str] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    length: int = 0
    collapsible_end: bool = True  # at block/line start, or after a collapsed space

    def add(self, text: str, preformatted: bool) -> None:
        if not preformatted:
            text = _HTML_WHITESPACE.sub(" ", text)
            if text.startswith(" ") and self.collapsible_end:
                text = text[1:]
        if text:
            self.chars.append(text)
            self.length += len(text)
            self.collapsible_end = not preformatted and text.endswith(" ")

    def line_break(self) -> None:
        self._drop_trailing_space()
        self.chars.append("\n")
        self.marks.append(Mark("break", self.length, self.length + 1))
        self.length += 1
        self.collapsible_end = True

    def _drop_trailing_space(self) -> None:
        if self.collapsible_end and self.chars and self.chars[-1].endswith(" "):
            self.chars[-1] = self.chars[-1][:-1]
            self.length -= 1
            self.marks = [
                Mark(m.kind, m.start, min(m.end, self.length), m.href) for m in self.marks if m.start < self.length
            ]

    def take(self) -> tuple[str, list[Mark]]:
        self._drop_trailing_space()
        text, marks = "".join(self.chars), self.marks
        self.chars, self.marks, self.length, self.collapsible_end = [], [], 0, True
        return text, marks


def _html_into(builder: _Builder, source: str) -> None:
    if not source.strip():
        return
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        root = lxml.html.document_fromstring(source.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return
    body = root.find("body")
    _HtmlWalker(builder).walk(body if body is not None else root)


class _HtmlWalker:
    def __init__(self, builder: _Builder) -> None:
        self.builder = builder
        self.current = _HtmlBlockText()
        self.kinds: list[tuple[str, int]] = [("paragraph", 0)]
        self.preformatted = 0

    def walk(self, root: lxml.html.HtmlElement) -> None:
        self._element(root)
        self._flush()

    def _flush(self) -> None:
        text, marks = self.current.take()
        if text.strip(" "):
            kind, level = self.kinds[-1]
            self.builder.add_block(kind, level, text, marks)

    def _text(self, text: str | None) -> None:
        if text:
            self.current.add(normalize_source(text), self.preformatted > 0)

    def _element(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if not tag or tag in _SKIPPED_TAGS or element.get("hidden") is not None:
            return
        if tag == "br":
            self.current.line_break()
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            self.kinds.append(self._block_kind(tag))
            self.preformatted += tag == "pre"
            self._children(element)
            self._flush()
            self.preformatted -= tag == "pre"
            self.kinds.pop()
            return
        mark_kind = _INLINE_TAG_MARKS.get(tag)
        href = element.get("href") if tag == "a" else None
        if tag == "a" and href is None:
            mark_kind = None
        start = self.current.length
        self._children(element)
        end = self.current.length
        if mark_kind and start < end:
            self.current.marks.append(Mark(mark_kind, start, end, href))

    def _children(self, element: Any) -> None:
        self._text(element.text)
        for child in element:
            self._element(child)
            self._text(child.tail)

    def _block_kind(self, tag: str) -> tuple[str, int]:
        outer_kind, outer_level = self.kinds[-1]
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return "heading", int(tag[1])
        if tag == "pre":
            return "code", 0
        if tag in ("ul", "ol"):
            return outer_kind, outer_level
        if tag == "li":
            depth = outer_level if outer_kind == "list_item" else 0
            return "list_item", depth + 1
        if tag == "blockquote":
            depth = outer_level if outer_kind == "blockquote" else 0
            return "blockquote", depth + 1
        if outer_kind in ("list_item", "blockquote"):
            return outer_kind, outer_level
        return "paragraph", 0
