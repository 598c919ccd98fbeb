"""What a published review holds, the limits of a reading, and how JSON-LD values are read."""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from annotations.fetching.urls import InvalidURL, normalize_url

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
