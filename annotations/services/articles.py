from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotations import policy
from annotations.anchoring import TextPositionSelector, TextQuoteSelector, reader_document, reanchor_many
from annotations.anchoring.matching import EXACT, MOVED
from annotations.anchoring.selectors import CONTEXT_LENGTH
from annotations.errors import Conflict, InvalidInput
from annotations.fetching.urls import normalize_url
from annotations.models import (
    Article,
    ArticleOrigin,
    ArticleRevision,
    AuditEvent,
    Claim,
    Membership,
    Snapshot,
    Team,
)
from annotations.services.audit import audit_change, audit_record
from annotations.services.suggestions import suggestions_due, suggestions_reanchor


class ArticleConflict(Conflict):
    """The article's text was revised since the writer read it.

    Carries the article as it is now and the last revision (who, when, before and after), so the
    person whose revision was refused sees the other person's.
    """

    def __init__(self, message: str, *, current: Article, last_change: dict[str, Any] | None) -> None:
        super().__init__(message, field="revision")
        self.current = current
        self.last_change = last_change


def article_last_change(*, article: Article) -> dict[str, Any] | None:
    """The latest audited change to the article: who made it, when, and the values before and after."""
    event = (
        AuditEvent.objects.filter(team_id=article.team_id, target_type="article", target_id=article.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    return audit_change(event) if event is not None else None


def _check_revision(*, article: Article, revision: int | None) -> None:
    if revision is None or revision == article.revision:
        return
    change = article_last_change(article=article)
    by = ((change or {}).get("by") or {}).get("username", "someone")
    raise ArticleConflict(
        f"{by} saved revision {article.revision} after you opened revision {revision}. Your text was not saved: "
        "review theirs and make your change again.",
        current=article,
        last_change=change,
    )


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
    origin: str = ArticleOrigin.PASTED,
    origin_url: str = "",
    origin_snapshot: Snapshot | None = None,
) -> Article:
    """Import an article: keep the original input and derive the reader-visible text from it.

    `origin`, `origin_url` and `origin_snapshot` record how the text came in (pasted, uploaded,
    fetched by the server, captured in a browser) and from which page; by `user`, now.

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
        origin=origin,
        origin_by=user,
        origin_at=timezone.now(),
        origin_url=origin_url,
        origin_snapshot=origin_snapshot,
    )
    audit_record(team=team, actor=user, action="article.create", target=article, after={"title": article.title})
    suggestions_due(article=article)
    return article


@transaction.atomic
def article_revise(
    *, article: Article, user: User | None, source: str, source_format: str, revision: int | None = None
) -> Article:
    """Replace the article's text with a new revision and re-anchor every claim against it.

    `revision` is the revision the writer read: if another revision was saved since, nothing is
    written and ArticleConflict carries the other person's. A person (`user`) needs the editor
    role; None is the system (imports, tests).

    The old text is kept as an ArticleRevision. Each claim tries, in order, its old position, the
    nearest occurrence of its quote and a fuzzy match (annotations.anchoring.reanchor_many); the
    outcome is stored with the claim, and a claim that matches nowhere becomes an orphan with no
    position rather than being moved to the wrong place. Suggestions are carried the same
    way (services.suggestions.suggestions_reanchor) and found again on the new text after commit.
    Locks the article row and its claims.
    Raises InvalidInput for an unknown format or an empty text.
    """
    article = Article.objects.select_for_update().select_related("team").get(pk=article.pk)
    if user is not None:
        membership = Membership.objects.filter(team_id=article.team_id, user_id=user.pk).first()
        policy.check(action="article.revise", membership=membership)
    _check_revision(article=article, revision=revision)
    try:
        document = reader_document(source, source_format)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="source_format") from exc
    if not document.text.strip():
        raise InvalidInput("The article has no readable text.", field="source")
    old_text = article.text
    ArticleRevision.objects.create(
        article=article,
        number=article.revision,
        source_format=article.source_format,
        source=article.source,
        text=old_text,
        layout=article.layout,
        content_hash=article.content_hash,
        created_by=article.created_by if article.revision == 1 else None,
        created_at=article.updated_at,
    )
    article.revision += 1
    article.source = source
    article.source_format = source_format
    article.text = document.text
    article.layout = document.to_json()
    article.content_hash = content_hash(document.text)
    article.save(update_fields=["revision", "source", "source_format", "text", "layout", "content_hash", "updated_at"])

    claims = list(Claim.objects.select_for_update().filter(article=article, team_id=article.team_id).order_by("id"))
    anchors = reanchor_many(
        document.text,
        [
            (
                TextQuoteSelector(c.exact, c.prefix, c.suffix),
                None if c.start is None or c.end is None else TextPositionSelector(c.start, c.end),
            )
            for c in claims
        ],
        old_text=old_text,
    )
    outcomes: Counter[str] = Counter()
    now = timezone.now()
    for claim, anchor in zip(claims, anchors, strict=True):
        outcomes[anchor.outcome] += 1
        claim.anchor_outcome = anchor.outcome
        claim.anchor_score = round(anchor.score, 6)
        claim.anchored_revision = article.revision
        claim.start, claim.end = anchor.start, anchor.end
        if anchor.outcome in (EXACT, MOVED) and anchor.start is not None and anchor.end is not None:
            # The quote is unchanged; its context follows the new text. A fuzzy claim keeps the
            # quote the reviewer marked, so the difference stays visible.
            claim.prefix = document.text[max(0, anchor.start - CONTEXT_LENGTH) : anchor.start]
            claim.suffix = document.text[anchor.end : anchor.end + CONTEXT_LENGTH]
        claim.version += 1
        claim.updated_at = now
    Claim.objects.bulk_update(
        claims,
        [
            "start",
            "end",
            "prefix",
            "suffix",
            "anchor_outcome",
            "anchor_score",
            "anchored_revision",
            "version",
            "updated_at",
        ],
        batch_size=1000,
    )
    suggestions_reanchor(article=article, old_text=old_text)
    audit_record(
        team=article.team,
        actor=user,
        action="article.revise",
        target=article,
        before={"revision": article.revision - 1, "content_hash": content_hash(old_text)},
        after={"revision": article.revision, "content_hash": article.content_hash, "anchors": dict(outcomes)},
    )
    return article
