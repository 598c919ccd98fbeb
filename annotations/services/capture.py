"""Articles captured in the reader's browser: the page as the reader saw it, behind a login or built by script.

The captured HTML is untrusted. It goes through the same extraction as a page the server fetched
(annotations.extraction, trafilatura), is kept as a snapshot of the team marked as captured in a
browser by the person who sent it (its SHA-256 recorded, served only as the sandboxed stored
copy), and is never rendered. Nothing is fetched from the page's site. A page whose canonical URL
the team already has becomes a new revision of that article, and the reader's selection, if any,
becomes a claim placed on the extracted text.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from annotations import policy
from annotations.capture import Capture, place_selection
from annotations.errors import InvalidInput
from annotations.extraction import extract
from annotations.fetching import InvalidURL, normalize_url
from annotations.models import (
    Article,
    ArticleOrigin,
    Claim,
    Membership,
    Snapshot,
    SnapshotStatus,
    SourceFormat,
    Team,
)
from annotations.services.article_import import _date, _reader_source  # the text a fetched page gives
from annotations.services.articles import article_create, article_revise
from annotations.services.audit import audit_record
from annotations.services.claims import claim_create

NO_SELECTION = "none"
PLACED = "placed"
NOT_PLACED = "not_placed"

UNCHANGED = "unchanged"
CREATED = "created"
REVISED = "revised"
KEPT = "kept"


@dataclass(frozen=True)
class CaptureOutcome:
    """What a capture did: the article (`action`: created, revised, unchanged, or kept when the
    capturer may not revise it), the snapshot of the page, and the claim for the selection (with
    `selection` saying whether there was one and whether it could be placed)."""

    article: Article
    snapshot: Snapshot
    action: str
    selection: str
    claim: Claim | None
    message: str


def _canonical(capture: Capture) -> str:
    for candidate in (capture.canonical_url, capture.url):
        if candidate:
            try:
                return normalize_url(candidate)
            except InvalidURL:
                continue
    raise InvalidInput("The page's address is not a web address the workbench accepts.", field="url")


def article_capture(*, team: Team, user: User, capture: Capture) -> CaptureOutcome:
    """Bring a captured page in as an article of `team`, or as a new revision of the team's article
    with the same canonical URL, and mark the selection as a claim.

    Raises InvalidInput when no article text can be extracted from the page or its address is not
    accepted. The caller has checked that `user` may add articles to the team; replacing an
    existing article's text also needs the editor role, and without it the article is kept as it
    is (the capture is still preserved as a snapshot).
    """
    canonical = _canonical(capture)
    try:
        page_url = normalize_url(capture.url)
    except InvalidURL as exc:
        raise InvalidInput(str(exc), field="url") from exc
    extraction = extract(io.BytesIO(capture.html), content_type="text/html", charset="utf-8", url=capture.url)
    if extraction.state != "extracted" or not extraction.text.strip():
        raise InvalidInput(
            "No article text could be found in the captured page. Nothing was kept.",
            field="html",
        )
    sha256 = hashlib.sha256(capture.html).hexdigest()
    now = timezone.now()
    stored = default_storage.save(
        Snapshot.body.field.generate_filename(None, f"{sha256}.html"), ContentFile(capture.html, name=f"{sha256}.html")
    )
    try:
        return _record(
            team=team,
            user=user,
            capture=capture,
            canonical=canonical,
            page_url=page_url,
            extraction_text=extraction.text,
            extraction_title=extraction.title,
            extraction_byline=extraction.byline,
            extraction_published=extraction.published or "",
            extraction_reason=extraction.reason,
            sha256=sha256,
            stored=stored,
            now=now,
        )
    except BaseException:
        default_storage.delete(stored)
        raise


@transaction.atomic
def _record(
    *,
    team: Team,
    user: User,
    capture: Capture,
    canonical: str,
    page_url: str,
    extraction_text: str,
    extraction_title: str,
    extraction_byline: str,
    extraction_published: str,
    extraction_reason: str,
    sha256: str,
    stored: str,
    now: datetime.datetime,
) -> CaptureOutcome:
    title = capture.title or extraction_title
    byline = capture.byline or extraction_byline
    published = capture.published or extraction_published
    snapshot = Snapshot.objects.create(
        team=team,
        url=page_url,
        final_url=page_url,
        status=SnapshotStatus.FETCHED,
        reason=extraction_reason,
        content_type="text/html; charset=utf-8",
        size=len(capture.html),
        sha256=sha256,
        title=title,
        byline=byline,
        published=published[:64],
        text=extraction_text,
        extraction_state="extracted",
        body=stored,
        fetched_at=now,
        captured_by=user,
    )
    source = _reader_source(snapshot)
    existing = (
        Article.objects.select_for_update()
        .filter(team=team, canonical_url=canonical)
        .order_by("created_at", "id")
        .first()
    )
    origin = {
        "origin": ArticleOrigin.CAPTURED,
        "origin_by": user,
        "origin_at": now,
        "origin_url": page_url,
        "origin_snapshot": snapshot,
    }
    message = ""
    if existing is None:
        article = article_create(
            team=team,
            user=user,
            title=title,
            source=source,
            source_format=SourceFormat.TEXT,
            canonical_url=canonical,
            authors=[byline[:200]] if byline else [],
            published_on=_date(published),
            origin=ArticleOrigin.CAPTURED,
            origin_url=page_url,
            origin_snapshot=snapshot,
        )
        action = CREATED
    else:
        article = existing
        membership = Membership.objects.filter(team=team, user=user).first()
        if _same_text(article, source):
            action = UNCHANGED
            message = "This page is already in the workbench with the same text; the capture was kept."
        elif policy.refusal(action="article.revise", membership=membership) is not None:
            action = KEPT
            message = (
                "This page is already in the workbench. Your capture was kept, but replacing the article's text "
                "with it needs the editor role; an editor can capture it again."
            )
        else:
            article = article_revise(article=article, user=user, source=source, source_format=SourceFormat.TEXT)
            for name, value in origin.items():
                setattr(article, name, value)
            article.save(update_fields=[*origin, "updated_at"])
            action = REVISED
            message = f"This page was already in the workbench: its text is now revision {article.revision}."
    audit_record(
        team=team,
        actor=user,
        action="article.capture",
        target=article,
        after={
            "url": page_url,
            "canonical_url": canonical,
            "snapshot": snapshot.pk,
            "sha256": sha256,
            "action": action,
        },
    )
    claim: Claim | None = None
    selection = NO_SELECTION
    if capture.selection is not None:
        span = place_selection(article.text, capture.selection)
        if span is None:
            selection = NOT_PLACED
            message = " ".join(
                filter(
                    None,
                    [
                        message,
                        "The text you selected could not be found in the article text extracted from the page, so "
                        "no claim was marked. Select it again in the article.",
                    ],
                )
            )
        else:
            selection = PLACED
            start, end = span
            claim = Claim.objects.filter(article=article, start=start, end=end).order_by("id").first()
            if claim is None:
                claim = claim_create(article=article, user=user, start=start, end=end, exact=article.text[start:end])
    return CaptureOutcome(
        article=article, snapshot=snapshot, action=action, selection=selection, claim=claim, message=message
    )


def _same_text(article: Article, source: str) -> bool:
    return article.source_format == SourceFormat.TEXT and article.source == source
