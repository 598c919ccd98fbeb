"""Safe HTML for the reading view, built from a ReaderDocument.

Each block element carries ``data-start``/``data-end`` (code points into the reader
text) and contains no text but the block's own, so ``frontend/js/text-map.js`` can
turn a DOM selection into reader-text offsets by counting code points.

The view's stylesheet should give ``.hard-break`` ``white-space: pre`` so the
newline it holds shows as a line break.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from html import escape
from urllib.parse import urlsplit

from .reader_text import Block, Mark, ReaderDocument

SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow ugc"
_C0_AND_SPACE = "".join(chr(i) for i in range(0x21))

# Outer marks first when two marks start together and have the same length.
_MARK_ORDER = {"link": 0, "strong": 1, "em": 2, "code": 3, "break": 4}
_BLOCK_TAGS = {"paragraph": "p", "list_item": "li", "blockquote": "blockquote", "code": "pre"}


def safe_href(href: str | None) -> str | None:
    """The href if it is an absolute http(s) or mailto URL, else None."""
    if not href:
        return None
    # Browsers drop tabs and newlines anywhere in a URL and trim C0 controls and spaces.
    cleaned = "".join(c for c in href if c not in "\t\n\r").strip(_C0_AND_SPACE)
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return None
    return cleaned if scheme in SAFE_URL_SCHEMES else None


def render_reading_html(doc: ReaderDocument) -> str:
    """Render ``doc`` as HTML; every character of text is escaped."""
    out: list[str] = []
    in_list = False
    marks_by_block = _marks_by_block(doc)
    for index, block in enumerate(doc.blocks):
        if block.kind == "list_item" and not in_list:
            out.append("<ul>")
            in_list = True
        elif block.kind != "list_item" and in_list:
            out.append("</ul>")
            in_list = False
        tag = _block_tag(block)
        attrs = f' data-start="{block.start}" data-end="{block.end}"'
        if block.level and block.kind in ("list_item", "blockquote"):
            attrs += f' data-level="{block.level}"'
        body = _inline_html(doc.text, block, marks_by_block[index])
        if tag == "pre" and doc.text[block.start : block.end].startswith("\n"):
            body = "\n" + body  # the HTML parser drops one newline right after <pre>
        out.append(f"<{tag}{attrs}>{body}</{tag}>")
    if in_list:
        out.append("</ul>")
    return "".join(out)


def _block_tag(block: Block) -> str:
    if block.kind == "heading":
        # The page title is the <h1>; article headings start at <h2>.
        return f"h{min(max(block.level, 1) + 1, 6)}"
    return _BLOCK_TAGS.get(block.kind, "p")


def _marks_by_block(doc: ReaderDocument) -> list[list[Mark]]:
    result: list[list[Mark]] = [[] for _ in doc.blocks]
    ends = [b.end for b in doc.blocks]
    for mark in doc.marks:
        index = bisect_right(ends, mark.start)
        while index < len(doc.blocks) and doc.blocks[index].start < mark.end:
            block = doc.blocks[index]
            start, end = max(mark.start, block.start), min(mark.end, block.end)
            if start < end:
                result[index].append(Mark(mark.kind, start, end, mark.href))
            index += 1
    return result


def _open_tag(mark: Mark) -> str:
    if mark.kind == "link":
        href = safe_href(mark.href)
        if href is None:
            return "<span>"
        return f'<a href="{escape(href, quote=True)}" rel="{LINK_REL}">'
    if mark.kind == "break":
        return '<span class="hard-break">'
    if mark.kind in ("em", "strong", "code"):
        return f"<{mark.kind}>"
    return "<span>"


def _close_tag(mark: Mark) -> str:
    if mark.kind == "link":
        return "</a>" if safe_href(mark.href) is not None else "</span>"
    if mark.kind in ("em", "strong", "code"):
        return f"</{mark.kind}>"
    return "</span>"


def _inline_html(text: str, block: Block, marks: list[Mark]) -> str:
    """Text of one block with marks as properly nested tags, splitting overlaps."""
    boundaries = sorted({block.start, block.end, *(m.start for m in marks), *(m.end for m in marks)})
    ordered = sorted(marks, key=lambda m: (m.start, -m.end, _MARK_ORDER.get(m.kind, 9)))
    out: list[str] = []
    stack: list[Mark] = []
    for seg_start, seg_end in itertools.pairwise(boundaries):
        wanted = [m for m in ordered if m.start <= seg_start and seg_end <= m.end]
        common = 0
        while common < min(len(stack), len(wanted)) and stack[common] is wanted[common]:
            common += 1
        while len(stack) > common:
            out.append(_close_tag(stack.pop()))
        for mark in wanted[common:]:
            out.append(_open_tag(mark))
            stack.append(mark)
        out.append(escape(text[seg_start:seg_end], quote=False))
    while stack:
        out.append(_close_tag(stack.pop()))
    return "".join(out)
