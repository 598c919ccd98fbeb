"""Importing an article from its URL with the same safe fetcher that preserves cited reports.

The import runs synchronously, inside the request: the person importing waits for the article to
open anyway, a refusal or failure becomes an ordinary form error (or a 400) on the URL field, and no
"import job" state is needed. The network part is capped at IMPORT_DEADLINE seconds so a slow
server cannot hold a web worker past its own timeout. The fetched page is kept as a snapshot of the
team, like any cited report, so the article's original bytes are preserved.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import User

from annotations.errors import InvalidInput
from annotations.extraction import HTML_TYPES
from annotations.fetching import InvalidURL, normalize_url
from annotations.models import Article, ArticleOrigin, Snapshot, SnapshotStatus, SourceFormat, Team
from annotations.services.articles import article_create
from annotations.services.snapshots import fetch_policy, snapshot_fetch, snapshot_reusable

IMPORT_DEADLINE = 20.0


def article_import_url(*, team: Team, user: User | None, url: str, title: str = "") -> Article:
    """Fetch the page at `url`, extract its main text and import it as an article.

    Raises InvalidInput (field "url") when the link is refused, cannot be fetched or has no text.
    """
    try:
        normalized = normalize_url(url)
    except InvalidURL as exc:
        raise InvalidInput(str(exc), field="url") from exc
    snapshot = snapshot_reusable(team=team, url=normalized)
    if snapshot is None or snapshot.status != SnapshotStatus.FETCHED:
        snapshot = Snapshot.objects.create(team=team, url=normalized)
        snapshot_fetch(
            snapshot_id=snapshot.pk,
            policy=fetch_policy(total_deadline=min(settings.FETCH_TIMEOUT_SECONDS, IMPORT_DEADLINE)),
            retry=False,
        )
        snapshot.refresh_from_db()
    if snapshot.status != SnapshotStatus.FETCHED:
        raise InvalidInput(snapshot.reason or "The page could not be fetched.", field="url")
    if snapshot.extraction_state != "extracted" or not snapshot.text.strip():
        raise InvalidInput(snapshot.reason or "No article text could be found at this address.", field="url")
    try:
        return article_create(
            team=team,
            user=user,
            title=title.strip() or snapshot.title or snapshot.final_url,
            source=_reader_source(snapshot),
            source_format=SourceFormat.TEXT,
            canonical_url=snapshot.final_url or normalized,
            authors=[snapshot.byline[:200]] if snapshot.byline else [],
            published_on=_date(snapshot.published),
            origin=ArticleOrigin.FETCHED,
            origin_url=snapshot.final_url or normalized,
            origin_snapshot=snapshot,
        )
    except ValueError as exc:
        raise InvalidInput(str(exc), field="url") from exc


def _reader_source(snapshot: Snapshot) -> str:
    """Plain text with blank lines between paragraphs; trafilatura puts one paragraph on each line."""
    media_type = snapshot.content_type.split(";", 1)[0].strip()
    if media_type in HTML_TYPES:
        return "\n\n".join(line.strip() for line in snapshot.text.splitlines() if line.strip())
    return snapshot.text


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
