from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction

from annotations.anchoring import reader_document
from annotations.fetching.urls import normalize_url
from annotations.models import Article, Team
from annotations.services.audit import audit_record


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def article_create(
    *,
    team: Team,
    user: User | None,
    title: str,
    source: str,
    source_format: str,
    canonical_url: str = "",
    publisher: str = "",
    authors: Sequence[str] = (),
    published_on: datetime.date | None = None,
    language: str = "",
) -> Article:
    """Import an article: keep the original input and derive the reader-visible text from it.

    Raises ValueError (with a message fit for a form) for an unknown format, an empty text or a
    URL that is not http(s).
    """
    document = reader_document(source, source_format)
    if not document.text.strip():
        raise ValueError("The article has no readable text.")
    article = Article.objects.create(
        team=team,
        title=title.strip() or "Untitled article",
        canonical_url=normalize_url(canonical_url) if canonical_url else "",
        publisher=publisher,
        authors=list(authors),
        published_on=published_on,
        language=language,
        source_format=source_format,
        source=source,
        text=document.text,
        layout=document.to_json(),
        content_hash=content_hash(document.text),
        created_by=user,
    )
    audit_record(team=team, actor=user, action="article.create", target=article, after={"title": article.title})
    return article
