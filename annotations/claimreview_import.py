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

import codecs
import datetime
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import orjson
from lxml import etree

from annotations.fetching.urls import InvalidURL, normalize_url, shown

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
"""The largest file, request body or fetched feed read (about 10,000 reviews)."""
MAX_ITEMS = 5000
"""The most items one document may list; larger exports are split into several files."""
MAX_SCRIPTS = 200
"""The most JSON-LD blocks read from one page."""
MAX_DEPTH = 64
"""Nesting beyond this is not ClaimReview (a review with its claim and appearances is about eight deep)."""
MAX_CLAIM_CHARS = 5000
MAX_NAME_CHARS = 300
MAX_LANGUAGE_CHARS = 35
MAX_URL_CHARS = 2000

SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
_LD_JSON = re.compile(r"^\s*application/ld\+json\s*(;.*)?$", re.IGNORECASE)
# Containers whose members are themselves items; and where a page nests its review in another node.
_FEEDS = frozenset({"DataFeed", "CompleteDataFeed"})
_NESTING_KEYS = ("mainEntity", "review", "hasPart", "subjectOf")


class UnreadableDocument(ValueError):
    """The document as a whole cannot be read; the message says why, fit to show as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PublishedReview:
    """One fact-check as its publisher marked it up, in the fields the workbench keeps."""

    url: str
    claim_reviewed: str
    publisher: str
    publisher_url: str = ""
    claimant: str = ""
    claim_date: datetime.date | None = None
    rating_text: str = ""
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    published_at: datetime.date | None = None
    language: str = ""
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Skipped:
    index: int
    reason: str


@dataclass
class Reading:
    """The reviews found (each with its item number) and the items skipped, in document order."""

    reviews: list[tuple[int, PublishedReview]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def items(self) -> int:
        return len(self.reviews) + len(self.skipped)


# --- Documents ------------------------------------------------------------------------------------


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


# --- Walking the document -------------------------------------------------------------------------


def _types(node: dict[str, Any]) -> list[str]:
    raw = node.get("@type", node.get("type"))
    values = raw if isinstance(raw, list) else [raw]
    names = []
    for value in values:
        if isinstance(value, str):
            name = value.strip()
            for prefix in SCHEMA_PREFIXES:
                if name.startswith(prefix):
                    name = name[len(prefix) :]
            names.append(name)
    return names


class _Reader:
    """Walks one document's items into a Reading; references resolve against every node with an @id."""

    def __init__(self, reading: Reading, base_url: str | None) -> None:
        self.reading = reading
        self.base_url = base_url
        self.nodes: dict[str, dict[str, Any]] = {}
        self.seen: dict[str, int] = {}

    def read(self, document: Any, *, strict: bool) -> None:
        document = _stored(document)
        self._index(document)
        self._walk(document, strict=strict, depth=0)

    def _index(self, document: Any) -> None:
        pending = [document]
        while pending:
            value = pending.pop()
            if isinstance(value, list):
                pending.extend(value)
            elif isinstance(value, dict):
                node_id = value.get("@id")
                if isinstance(node_id, str) and len(value) > 1:
                    self.nodes.setdefault(node_id, value)
                pending.extend(value.values())

    def _walk(self, node: Any, *, strict: bool, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise UnreadableDocument(f"The document nests lists and feeds more than {MAX_DEPTH} levels deep.")
        if isinstance(node, list):
            for member in node:
                self._walk(member, strict=strict, depth=depth + 1)
            return
        if isinstance(node, dict):
            node = self._resolved(node)
            types = _types(node)
            if "ClaimReview" in types:
                self._review(node)
                return
            if isinstance(node.get("@graph"), list):
                self._walk(node["@graph"], strict=False, depth=depth + 1)
                return
            contents = _container(node, types)
            if contents is not None:
                members, feed = contents
                if members is not None:
                    self._walk(members, strict=strict or feed, depth=depth + 1)
                elif strict:
                    self._skip(f"A {types[0] if types else 'feed'} that holds no item.")
                return
            nested = [node[key] for key in _NESTING_KEYS if isinstance(node.get(key), dict | list)]
            if not strict:
                for value in nested:
                    self._walk(value, strict=False, depth=depth + 1)
                return
            before = self.reading.items
            for value in nested:
                self._walk(value, strict=False, depth=depth + 1)
            if self.reading.items == before:
                named = ", ".join(types) if types else ""
                self._skip(f"Not a ClaimReview (its @type is {named})." if named else "Not a ClaimReview (no @type).")
            return
        if strict:
            what = "a link" if isinstance(node, str) and node.startswith("http") else "not an object"
            self._skip(f"Not a ClaimReview: {what}.")

    def _resolved(self, node: dict[str, Any]) -> dict[str, Any]:
        node_id = node.get("@id")
        if len(node) == 1 and isinstance(node_id, str):
            return self.nodes.get(node_id, node)
        return node

    def _ref(self, value: Any) -> Any:
        value = _first(value)
        return self._resolved(value) if isinstance(value, dict) else value

    def _skip(self, reason: str) -> None:
        self._count()
        self.reading.skipped.append(Skipped(self.reading.items, reason))

    def _count(self) -> None:
        if self.reading.items >= MAX_ITEMS:
            raise _too_many(MAX_ITEMS + 1)

    def _review(self, node: dict[str, Any]) -> None:
        try:
            review = self._published(node)
        except _Unusable as exc:
            self._skip(exc.reason)
            return
        earlier = self.seen.get(review.url)
        if earlier is not None:
            self._skip(f"The same review URL as item {earlier}: {shown(review.url)}.")
            return
        self._count()
        index = self.reading.items
        self.seen[review.url] = index
        self.reading.reviews.append((index, review))

    def _published(self, node: dict[str, Any]) -> PublishedReview:
        claim = _clean(_text(node.get("claimReviewed")))
        if not claim:
            raise _Unusable("No claimReviewed: the review does not say which claim it checks.")
        if len(claim) > MAX_CLAIM_CHARS:
            raise _Unusable(f"claimReviewed is longer than {MAX_CLAIM_CHARS:,} characters.")
        url = self._review_url(node)
        author = self._ref(node.get("author")) or self._ref(node.get("publisher"))
        publisher = _cut(_name(author), MAX_NAME_CHARS) or (urlsplit(url).hostname or "")
        publisher_url = self._link(author.get("url") if isinstance(author, dict) else None) or ""
        item = self._ref(node.get("itemReviewed"))
        item = item if isinstance(item, dict) else {}
        appearance = self._ref(item.get("firstAppearance")) or self._ref(item.get("appearance"))
        rating = self._ref(node.get("reviewRating"))
        rating = rating if isinstance(rating, dict) else {}
        return PublishedReview(
            url=url,
            claim_reviewed=claim,
            publisher=publisher,
            publisher_url=publisher_url,
            claimant=_cut(_name(self._ref(item.get("author"))), MAX_NAME_CHARS),
            claim_date=_date(item.get("datePublished"))
            or (_date(appearance.get("datePublished")) if isinstance(appearance, dict) else None),
            rating_text=_cut(_clean(_text(rating.get("alternateName")) or _text(rating.get("name"))), MAX_NAME_CHARS),
            rating_value=_number(rating.get("ratingValue")),
            best_rating=_number(rating.get("bestRating")),
            worst_rating=_number(rating.get("worstRating")),
            published_at=_date(node.get("datePublished")),
            language=_cut(_language(node.get("inLanguage")) or _language(item.get("inLanguage")), MAX_LANGUAGE_CHARS),
            data=node,
        )

    def _review_url(self, node: dict[str, Any]) -> str:
        written = _first(node.get("url"))
        if isinstance(written, dict):
            written = written.get("@id") or written.get("url")
        if not isinstance(written, str) or not written.strip():
            node_id = node.get("@id")
            if isinstance(node_id, str) and node_id.lower().startswith(("http://", "https://")):
                written = node_id
            else:
                raise _Unusable("No url: the review's own page is not given.")
        try:
            return _normal_link(written, self.base_url)
        except InvalidURL as exc:
            raise _Unusable(f"The review's url {shown(written)} cannot be used: {exc}") from exc

    def _link(self, value: Any) -> str | None:
        value = _first(value)
        if isinstance(value, dict):
            value = value.get("@id")
        if not isinstance(value, str) or not value.strip():
            return None
        try:
            return _normal_link(value, self.base_url)
        except InvalidURL:
            return None


class _Unusable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _container(node: dict[str, Any], types: list[str]) -> tuple[Any, bool] | None:
    """What a container holds, and whether they are a feed's items (every one of which is an item to
    import); None for a node that is no container. Lists (breadcrumbs, say) are only looked through."""
    kinds = set(types)
    if "dataFeedElement" in node or kinds & _FEEDS:
        return node.get("dataFeedElement"), True
    if "DataFeedItem" in kinds:
        return node.get("item"), True
    if "itemListElement" in node or "ItemList" in kinds:
        return node.get("itemListElement"), False
    if "ListItem" in kinds:
        return node.get("item"), False
    return None


def _stored(document: Any) -> Any:
    """A copy of the JSON that PostgreSQL can store: no NUL characters; refused beyond MAX_DEPTH levels."""
    holder: list[Any] = [None]
    pending: list[tuple[Any, Any, Any, int]] = [(document, holder, 0, 0)]
    while pending:
        value, parent, key, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise UnreadableDocument(f"The document is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(value, dict):
            copy: dict[str, Any] = {}
            for name, member in value.items():
                clean_name = str(name).replace("\x00", "")
                copy[clean_name] = None
                pending.append((member, copy, clean_name, depth + 1))
            parent[key] = copy
        elif isinstance(value, list):
            items: list[Any] = [None] * len(value)
            pending.extend((member, items, index, depth + 1) for index, member in enumerate(value))
            parent[key] = items
        elif isinstance(value, str):
            parent[key] = value.replace("\x00", "")
        else:
            parent[key] = value
    return holder[0]


# --- Values ---------------------------------------------------------------------------------------


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return next((member for member in value if member is not None), None)
    return value


def _text(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("@value", "")
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return value if isinstance(value, str) else ""


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _CONTROL.sub("", text)).strip()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return _clean(_text(value.get("name")) or _text(value.get("alternateName")))
    return _clean(_text(value))


def _language(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return _clean(_text(value.get("alternateName")) or _text(value.get("name")))
    return _clean(_text(value))


def _date(value: Any) -> datetime.date | None:
    match = _DATE.match(_text(value))
    if match is None:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    value = _first(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value) and abs(value) < 1e15:
        return float(value)
    return None


def _normal_link(value: str, base_url: str | None) -> str:
    link = value.strip()
    if base_url and not link.lower().startswith(("http://", "https://")):
        link = urljoin(base_url, link)
    normal = normalize_url(link)
    if len(normal) > MAX_URL_CHARS:
        raise InvalidURL(f"The link is longer than {MAX_URL_CHARS:,} characters.")
    return normal
