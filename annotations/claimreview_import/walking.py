"""Walking a JSON-LD document for its ClaimReviews: lists, @graph, DataFeeds and nested nodes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from annotations.claimreview_import.documents import (
    _too_many,
)
from annotations.claimreview_import.review import (
    _FEEDS,
    _NESTING_KEYS,
    MAX_CLAIM_CHARS,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_LANGUAGE_CHARS,
    MAX_NAME_CHARS,
    SCHEMA_PREFIXES,
    PublishedReview,
    Reading,
    Skipped,
    UnreadableDocument,
    _clean,
    _cut,
    _date,
    _first,
    _language,
    _name,
    _normal_link,
    _number,
    _text,
)
from annotations.fetching.urls import InvalidURL, shown

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
