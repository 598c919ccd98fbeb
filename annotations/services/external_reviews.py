"""Checked elsewhere: other fact-checkers' published ClaimReview, kept as a read-only corpus to match against.

Editors import a JSON-LD document (a file, or an API request's body), or list a feed: a DataFeed's
URL or a page whose embedded JSON-LD holds ClaimReview. A feed is read by the worker through the
safe fetcher (annotations.fetching), at once and then every REVIEW_FEED_REFRESH_HOURS: the outbox
sweep sends `annotations.refresh_review_feed` for every feed whose `next_refresh_at` has come.

A review is one row per normalised review URL in a team: importing it again updates that row. The
writes of one team's imports take the team's import lock (a transaction-scoped advisory lock), so
two imports of the same URL at once, from any mix of files and feeds, make one row and count it
once as created. A new review, or one whose claim text changed, is (re)embedded after commit
(annotations.services.embeddings).

Reading a feed follows the snapshot pattern: the worker claims the feed (moving `next_refresh_at`
past the fetch's deadline, under its row lock), fetches outside any transaction, then records the
result. A second copy of the task finds the feed not due and leaves it; a worker that dies mid-read
leaves it due again once the deadline passes, and the sweep sends it anew.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from annotations import outbox
from annotations.access import require_role
from annotations.claimreview_import import (
    MAX_DOCUMENT_BYTES,
    PublishedReview,
    Reading,
    Skipped,
    UnreadableDocument,
    read_json_ld,
    read_published,
)
from annotations.errors import InvalidInput, NotAllowed
from annotations.fetching import (
    Connector,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    InvalidURL,
    Resolver,
    fetch,
    system_resolver,
)
from annotations.fetching.addresses import address_problem, parse_host_literal
from annotations.fetching.urls import MAX_URL_LENGTH, parse_http_url
from annotations.models import ExternalReview, Membership, ReviewFeed, Role, Team
from annotations.services.audit import audit_record
from annotations.services.embeddings import reviews_embedding_due
from annotations.services.snapshots import fetch_policy, fetch_time_limits

logger = logging.getLogger(__name__)

IMPORT_LOCK = 0x52455649  # "REVI": the first key of the team's import lock; the team's id is the second
USER_AGENT = "FactCheckWorkbench/0.1 (+reading published ClaimReview)"
RETRY_FAILED_AFTER = datetime.timedelta(hours=1)
"""A feed that could not be read for a reason that may pass is read again this soon (or on schedule if sooner)."""
MAX_FEEDS = 100
"""Feeds one team may list."""

# The fields of a review copied from what its publisher wrote.
PUBLISHED_FIELDS = tuple(f.name for f in dataclasses.fields(PublishedReview) if f.name != "url")


@dataclass(frozen=True)
class ImportOutcome:
    """What one import did: reviews created, updated (something changed), unchanged, and items skipped."""

    created: int
    updated: int
    unchanged: int
    skipped: list[Skipped]


def _require_editor(*, team: Team, user: User | AnonymousUser | None) -> None:
    membership = None
    if user is not None and user.is_authenticated:
        membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None:
        raise NotAllowed("Only the team's editors and admins can import other fact-checkers' reviews.")
    require_role(membership, Role.EDITOR)


def refresh_interval() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.REVIEW_FEED_REFRESH_HOURS)


# --- Importing a document -------------------------------------------------------------------------


def external_reviews_import(*, team: Team, user: User, document: Any) -> ImportOutcome:
    """Import parsed JSON-LD (a ClaimReview, a list, an @graph or a DataFeed). Raises InvalidInput
    (field "document") when it cannot be read at all; items it cannot use are skipped with a reason."""
    _require_editor(team=team, user=user)
    try:
        reading = read_json_ld(document)
    except UnreadableDocument as exc:
        raise InvalidInput(exc.message, field="document") from exc
    return _import(team=team, user=user, reading=reading)


def external_reviews_import_file(*, team: Team, user: User, body: bytes, content_type: str = "") -> ImportOutcome:
    """Import an uploaded file: JSON-LD, JSON Lines, or a saved page with ld+json blocks. Raises
    InvalidInput (field "file") when it cannot be read at all."""
    _require_editor(team=team, user=user)
    try:
        reading = read_published(body, content_type=content_type)
    except UnreadableDocument as exc:
        raise InvalidInput(exc.message, field="file") from exc
    return _import(team=team, user=user, reading=reading)


@transaction.atomic
def _import(*, team: Team, user: User, reading: Reading) -> ImportOutcome:
    created, updated, unchanged = _upsert(team=team, user=user, feed=None, reviews=reading.reviews)
    audit_record(
        team=team,
        actor=user,
        action="external_reviews.import",
        target=team,
        after={"created": created, "updated": updated, "unchanged": unchanged, "skipped": len(reading.skipped)},
    )
    return ImportOutcome(created=created, updated=updated, unchanged=unchanged, skipped=reading.skipped)


def _upsert(
    *, team: Team, user: User | None, feed: ReviewFeed | None, reviews: Sequence[tuple[int, PublishedReview]]
) -> tuple[int, int, int]:
    """Create or update the team's rows for `reviews` (call in a transaction). Returns created, updated, unchanged."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, team.pk])
    rows = ExternalReview.objects.filter(team=team, url__in=[r.url for _, r in reviews]).defer("vector")
    existing = {row.url: row for row in rows}
    now = timezone.now()
    new: list[ExternalReview] = []
    changed: list[ExternalReview] = []
    reworded: list[int] = []
    unchanged = 0
    for _, review in reviews:
        values = {name: getattr(review, name) for name in PUBLISHED_FIELDS}
        if feed is not None:
            values["feed_id"] = feed.pk
        row = existing.get(review.url)
        if row is None:
            new.append(
                ExternalReview(team=team, url=review.url, imported_by=user, wording=review.claim_reviewed, **values)
            )
            continue
        if all(getattr(row, name) == value for name, value in values.items()):
            unchanged += 1
            continue
        if row.claim_reviewed != review.claim_reviewed:
            row.wording, row.pending, row.queued_at = review.claim_reviewed, True, None
            reworded.append(row.pk)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = now
        changed.append(row)
    ExternalReview.objects.bulk_create(new, batch_size=500)
    fields = [*PUBLISHED_FIELDS, "feed", "wording", "pending", "queued_at", "updated_at"]
    ExternalReview.objects.bulk_update(changed, fields, batch_size=500)
    reviews_embedding_due([row.pk for row in new] + reworded)
    return len(new), len(changed), unchanged


@transaction.atomic
def external_review_delete(*, review: ExternalReview, user: User) -> None:
    _require_editor(team=review.team, user=user)
    audit_record(
        team=review.team, actor=user, action="external_review.delete", target=review, before={"url": review.url}
    )
    review.delete()


# --- Feeds ------------------------------------------------------------------------------------------


def feed_policy() -> FetchPolicy:
    """The fetcher's limits for a feed: those of snapshots, with the import's size cap."""
    return dataclasses.replace(
        fetch_policy(), max_bytes=min(MAX_DOCUMENT_BYTES, settings.FETCH_MAX_BYTES), user_agent=USER_AGENT
    )


def _feed_url(url: str) -> str:
    """The feed's URL as the fetcher asks for it (not normalised: a feed's address is not to be guessed),
    if the fetcher could ever read it; its host name is checked when it is read."""
    try:
        target = parse_http_url(url)
    except InvalidURL as exc:
        raise InvalidInput(str(exc), field="url") from exc
    if len(target.url) > MAX_URL_LENGTH:
        raise InvalidInput(f"The link is longer than {MAX_URL_LENGTH:,} characters once encoded.", field="url")
    policy = feed_policy()
    if target.port not in policy.allowed_ports:
        allowed = ", ".join(str(p) for p in sorted(policy.allowed_ports))
        raise InvalidInput(f"Port {target.port} cannot be read (allowed: {allowed}).", field="url")
    literal = parse_host_literal(target.host)
    if literal is not None and target.host not in policy.allow_private_hosts:
        problem = address_problem(literal)
        if problem is not None:
            raise InvalidInput(f"{target.host} is {problem}: feeds are read from public addresses only.", field="url")
    return target.url


def review_feed_add(*, team: Team, user: User, url: str) -> tuple[ReviewFeed, bool]:
    """List a feed (a DataFeed, or a page with ClaimReview in its JSON-LD); the worker reads it after
    commit. A feed the team already reads is returned as it is. Returns the feed and whether it is new."""
    _require_editor(team=team, user=user)
    normal = _feed_url(url)
    listed = ReviewFeed.objects.filter(team=team, url=normal).first()
    if listed is not None:
        return listed, False
    try:
        with transaction.atomic():
            if ReviewFeed.objects.filter(team=team).count() >= MAX_FEEDS:
                raise InvalidInput(f"A team can read at most {MAX_FEEDS} feeds.", field="url")
            feed = ReviewFeed.objects.create(team=team, url=normal, created_by=user, next_refresh_at=timezone.now())
            audit_record(team=team, actor=user, action="review_feed.add", target=feed, after={"url": normal})
            outbox.queue_on_commit(outbox.REFRESH_FEED, feed.pk)
    except IntegrityError:
        listed = ReviewFeed.objects.filter(team=team, url=normal).first()
        if listed is None:
            raise
        return listed, False  # added by someone else at the same moment
    return feed, True


@transaction.atomic
def review_feed_remove(*, feed: ReviewFeed, user: User) -> int:
    """Stop reading the feed and remove the reviews last read from it. Returns how many were removed."""
    _require_editor(team=feed.team, user=user)
    removed, _ = ExternalReview.objects.filter(team=feed.team, feed=feed).delete()
    audit_record(
        team=feed.team,
        actor=user,
        action="review_feed.remove",
        target=feed,
        before={"url": feed.url, "reviews": removed},
    )
    feed.delete()
    return removed


@transaction.atomic
def review_feed_refresh_now(*, feed: ReviewFeed, user: User) -> ReviewFeed:
    """Read the feed again as soon as a worker can. A read already under way is harmless: both
    write the same rows under the team's import lock."""
    _require_editor(team=feed.team, user=user)
    locked = ReviewFeed.objects.select_for_update(no_key=True).select_related("team").get(pk=feed.pk)
    locked.next_refresh_at = timezone.now()
    locked.queued_at = None
    locked.save(update_fields=["next_refresh_at", "queued_at"])
    audit_record(team=locked.team, actor=user, action="review_feed.refresh", target=locked)
    outbox.queue_on_commit(outbox.REFRESH_FEED, locked.pk)
    return locked


def _read_deadline() -> datetime.timedelta:
    _soft, hard = fetch_time_limits()
    return datetime.timedelta(seconds=hard + 5)


@transaction.atomic
def _claim(feed_id: int) -> ReviewFeed | None:
    """Take the feed for one read if it is due, pushing its next read past this read's deadline."""
    feed = ReviewFeed.objects.select_for_update(no_key=True).filter(pk=feed_id).first()
    now = timezone.now()
    if feed is None or feed.next_refresh_at is None or feed.next_refresh_at > now:
        return None
    feed.next_refresh_at = now + _read_deadline()
    feed.queued_at = None
    feed.save(update_fields=["next_refresh_at", "queued_at"])
    return feed


def review_feed_refresh(
    *,
    feed_id: int,
    resolver: Resolver = system_resolver,
    connector: Connector | None = None,
    policy: FetchPolicy | None = None,
) -> str:
    """Read the feed if it is due and record the result. Returns "read", "failed", "not due" or "gone".

    The network part runs outside any transaction and without the feed's row lock.
    """
    feed = _claim(feed_id)
    if feed is None:
        return "gone" if not ReviewFeed.objects.filter(pk=feed_id).exists() else "not due"
    try:
        result = fetch(feed.url, policy=policy or feed_policy(), resolver=resolver, connector=connector)
        with result.body:
            body = result.body.read()
        reading = read_published(
            body, content_type=result.content_type, charset=result.charset, base_url=result.final_url
        )
    except FetchRefused as exc:
        return _record_failure(feed.pk, exc.reason, retryable=False)
    except FetchFailed as exc:
        return _record_failure(feed.pk, exc.reason, retryable=exc.retryable)
    except UnreadableDocument as exc:
        return _record_failure(feed.pk, exc.message, retryable=False)
    except Exception as exc:  # a soft time limit or a bug must not leave the feed unread until the deadline
        logger.exception("Reading review feed %s failed unexpectedly", feed.pk)
        return _record_failure(feed.pk, f"The read stopped unexpectedly ({type(exc).__name__}).", retryable=True)
    return _record_reading(feed.pk, reading)


@transaction.atomic
def _record_reading(feed_id: int, reading: Reading) -> str:
    feed = ReviewFeed.objects.select_for_update(no_key=True).select_related("team").filter(pk=feed_id).first()
    if feed is None:
        return "gone"  # removed while it was being read: its reviews are not wanted
    _upsert(team=feed.team, user=None, feed=feed, reviews=reading.reviews)
    now = timezone.now()
    feed.refreshed_at = now
    feed.next_refresh_at = now + refresh_interval()
    feed.review_count = len(reading.reviews)
    feed.last_error = _skipped_note(reading)
    feed.save(update_fields=["refreshed_at", "next_refresh_at", "review_count", "last_error"])
    return "read"


def _skipped_note(reading: Reading) -> str:
    if not reading.skipped:
        return ""
    first = reading.skipped[0]
    if not reading.reviews:
        return f"No ClaimReview could be read: item {first.index}: {first.reason}"
    return f"Skipped {len(reading.skipped)} of {reading.items} items; item {first.index}: {first.reason}"


@transaction.atomic
def _record_failure(feed_id: int, reason: str, *, retryable: bool) -> str:
    feed = ReviewFeed.objects.select_for_update(no_key=True).filter(pk=feed_id).first()
    if feed is None:
        return "gone"
    now = timezone.now()
    interval = refresh_interval()
    feed.refreshed_at = now
    feed.next_refresh_at = now + (min(RETRY_FAILED_AFTER, interval) if retryable else interval)
    feed.last_error = reason
    feed.save(update_fields=["refreshed_at", "next_refresh_at", "last_error"])
    return "failed"
