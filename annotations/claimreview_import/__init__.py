"""Reading other fact-checkers' published ClaimReview (https://schema.org/ClaimReview) for matching.

Pure: no Django, no network. It takes what a fact-checker publishes and returns the reviews in it,
each item it could not use with the reason, and refuses a whole document only when it cannot be
read at all (not JSON, too large, too many items). The shapes it reads:

- a ClaimReview, a list of them, or JSON Lines with one per line (the research dumps);
- an `@graph` (site plugins mix the page, the organisation and the review there; the review's
  `author` may be a reference, `{"@id": …}`, to a node elsewhere in the graph);
- a schema.org DataFeed whose `dataFeedElement` items are ClaimReviews, or DataFeedItems whose
  `item` is one or a list of them (Google's Fact Check Markup Tool feed on Data Commons);
- an HTML page: its `<script type="application/ld+json">` blocks, in any of the shapes above.

Every item a list, a feed or a JSON Lines file names is numbered from 0 in document order: an item
that is not a ClaimReview, or lacks what matching needs (`claimReviewed` and the review's `url`), is
skipped with that number and a reason. In an `@graph` or a page, nodes that are not ClaimReviews
(breadcrumbs, the site, the article) are context and are passed over silently.

Kept per review, from Google's fact-check markup: the publisher (`author`: name and url, else
`publisher`, else the review's host), `url`, `claimReviewed`, the claimant (`itemReviewed.author`),
the claim's date (`itemReviewed.datePublished`, else its first appearance's), the rating as
published (`reviewRating.alternateName`, else `name`) and its numbers when given, `datePublished`
and `inLanguage`. Review URLs are stored in the workbench's normal form (annotations.fetching.urls),
so the same review shared with tracking tags is one review.
"""

from __future__ import annotations

from typing import Any

import orjson

from annotations.claimreview_import.documents import (
    _check_size,
    _decode,
    _ld_json_blocks,
    _looks_like_html,
    _parse_json_text,
    _unwrapped,
)
from annotations.claimreview_import.review import (
    MAX_CLAIM_CHARS,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_ITEMS,
    MAX_LANGUAGE_CHARS,
    MAX_NAME_CHARS,
    MAX_SCRIPTS,
    MAX_URL_CHARS,
    SCHEMA_PREFIXES,
    PublishedReview,
    Reading,
    Skipped,
    UnreadableDocument,
)
from annotations.claimreview_import.walking import (
    _Reader,
)


def read_published(
    body: bytes, *, content_type: str = "", charset: str | None = None, base_url: str | None = None
) -> Reading:
    """Read a fetched feed or page, or an uploaded file: HTML by its type or its first character, else JSON-LD."""
    _check_size(len(body))
    text = _decode(body, charset)
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml") or (not kind.endswith("json") and _looks_like_html(text)):
        return read_html(text, base_url=base_url)
    return read_json_ld(_parse_json_text(text), base_url=base_url)


def read_json_ld(document: Any, *, base_url: str | None = None) -> Reading:
    """Read parsed JSON-LD: a ClaimReview, a list, an @graph or a DataFeed (nested in any of these)."""
    reading = Reading()
    _Reader(reading, base_url).read(document, strict=True)
    return reading


def read_html(page: str | bytes, *, base_url: str | None = None) -> Reading:
    """Read the ClaimReviews in a page's `<script type="application/ld+json">` blocks."""
    if isinstance(page, bytes):
        _check_size(len(page))
        page = _decode(page, None)
    reading = Reading()
    reader = _Reader(reading, base_url)
    for number, block in enumerate(_ld_json_blocks(page), start=1):
        try:
            document = orjson.loads(_unwrapped(block))
        except orjson.JSONDecodeError as exc:
            reading.skipped.append(Skipped(reading.items, f"JSON-LD block {number} of the page is not JSON: {exc}."))
            continue
        reader.read(document, strict=False)
    return reading


__all__ = [
    "MAX_CLAIM_CHARS",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_ITEMS",
    "MAX_LANGUAGE_CHARS",
    "MAX_NAME_CHARS",
    "MAX_SCRIPTS",
    "MAX_URL_CHARS",
    "SCHEMA_PREFIXES",
    "PublishedReview",
    "Reading",
    "Skipped",
    "UnreadableDocument",
    "read_html",
    "read_json_ld",
    "read_published",
]
