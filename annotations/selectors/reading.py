"""The reading view's HTML of an article, rendered once per revision and kept in the cache.

A revision's text never changes, so its HTML is cached under the article, the revision and the
row's last save (so an article id used again after a database is reset, or any save at all,
never meets an older entry), and RENDERING, bumped whenever `render_reading_html` changes its
output. A hit reads neither the
article's layout (megabytes of JSON for a long article) nor renders it. The revision and the HTML
always come from the same row, so a revision saved in between is never cached under the old
number. Access is the caller's to check: the key names an article the caller already fetched.
A cache that cannot be reached is skipped, never an error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from redis.exceptions import RedisError

from annotations.anchoring import ReaderDocument, render_reading_html
from annotations.models import Article

logger = logging.getLogger(__name__)

RENDERING = 1
KEEP_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class ReadingHTML:
    revision: int
    html: str


def _key(article_id: int, revision: int, saved: datetime) -> str:
    return f"reading-html:{RENDERING}:{article_id}:{revision}:{saved.timestamp():.6f}"


def _cached(key: str) -> str | None:
    try:
        found = cache.get(key)
    except RedisError:
        logger.warning("Cache unavailable: rendering the reading view's HTML afresh.")
        return None
    return found if isinstance(found, str) else None


def _keep(key: str, html: str) -> None:
    try:
        cache.set(key, html, timeout=KEEP_SECONDS)
    except RedisError:
        logger.warning("Cache unavailable: the reading view's HTML is not kept.")


def reading_html(*, article: Article) -> ReadingHTML:
    """The HTML of `article`'s current revision (`article` may have its texts deferred)."""
    html = _cached(_key(article.pk, article.revision, article.updated_at))
    if html is not None:
        return ReadingHTML(revision=article.revision, html=html)
    revision, saved, layout = (
        Article.objects.filter(pk=article.pk).values_list("revision", "updated_at", "layout").get()
    )
    html = render_reading_html(ReaderDocument.from_json(layout)) if layout else ""
    _keep(_key(article.pk, revision, saved), html)
    return ReadingHTML(revision=revision, html=html)
