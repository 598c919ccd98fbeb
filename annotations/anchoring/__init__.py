"""Text anchoring: reader-visible text, selectors and re-anchoring of claims.

Pure functions, no Django. Offsets are Unicode code points of the reader text
(W3C Web Annotation model); ``frontend/js`` applies the same rules in the browser.
"""

from .diff import OffsetMap, TextEdit, offset_map, text_edit
from .matching import Anchor, reanchor, reanchor_many
from .reader_text import Block, Mark, ReaderDocument, reader_document
from .reading_html import render_reading_html
from .selectors import (
    QuoteNotFound,
    TextPositionSelector,
    TextQuoteSelector,
    selectors_for_quote,
    selectors_for_span,
)

__all__ = [
    "Anchor",
    "Block",
    "Mark",
    "OffsetMap",
    "QuoteNotFound",
    "ReaderDocument",
    "TextEdit",
    "TextPositionSelector",
    "TextQuoteSelector",
    "offset_map",
    "reader_document",
    "reanchor",
    "reanchor_many",
    "render_reading_html",
    "selectors_for_quote",
    "selectors_for_span",
    "text_edit",
]
