"""Snapshots: fetching a cited report once and keeping its bytes, its WARC and its text (the evidence check follows).

A snapshot moves pending → fetching → fetched | failed | blocked. Every step is a status-guarded
write, so a task delivered twice, a worker killed mid-fetch or a stale attempt that wakes up late
cannot record a result twice. `deadline_at` is the time the current step is due: while fetching,
when the attempt counts as stuck; while pending after a failure, when the retry is due.
"""

from __future__ import annotations

import datetime
import logging
import math
import random
import tempfile
from dataclasses import dataclass
from typing import BinaryIO, cast

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotations.archiving.warc import snapshot_warc_name, warc_index, write_warc
from annotations.extraction import extract
from annotations.fetching import (
    Connector,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    FetchResult,
    Resolver,
    fetch,
    normalize_url,
    system_resolver,
)
from annotations.models import Snapshot, SnapshotStatus, Source, Team
from annotations.services.audit import audit_record
from annotations.services.evidence import snapshot_evidence_none, source_snapshot_set

logger = logging.getLogger(__name__)

IN_FLIGHT = (SnapshotStatus.PENDING, SnapshotStatus.FETCHING)
MAX_RETRY_DELAY = 3600.0
"""A pending snapshot whose task has not run this long after it was due is queued again."""

WARC_CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
_EXTENSIONS = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf", "text/plain": ".txt"}


@dataclass(frozen=True)
class FetchOutcome:
    """What one run of `snapshot_fetch` did. `run_again_in`: the next attempt is due in so many seconds
    (the outbox sweep sends it then; no task waits in the broker). `fetched_now`: this run fetched it
    (the evidence check of its sources follows: `snapshot_evidence_start`)."""

    snapshot_id: int
    status: str
    run_again_in: float | None = None
    fetched_now: bool = False


def fetch_policy(*, total_deadline: float | None = None) -> FetchPolicy:
    """The fetcher's limits, from settings. FETCH_ALLOW_PRIVATE_HOSTS is empty outside tests."""
    return FetchPolicy(
        allowed_ports=frozenset({80, 443, *settings.FETCH_EXTRA_PORTS}),
        total_deadline=total_deadline or settings.FETCH_TIMEOUT_SECONDS,
        connect_timeout=min(10.0, total_deadline or settings.FETCH_TIMEOUT_SECONDS),
        read_timeout=min(30.0, total_deadline or settings.FETCH_TIMEOUT_SECONDS),
        max_bytes=settings.FETCH_MAX_BYTES,
        allow_private_hosts=frozenset(settings.FETCH_ALLOW_PRIVATE_HOSTS),
    )


def fetch_time_limits() -> tuple[int, int]:
    """The fetch task's soft and hard time limits: the network deadline plus room to store and extract."""
    return math.ceil(settings.FETCH_TIMEOUT_SECONDS * 1.5), math.ceil(settings.FETCH_TIMEOUT_SECONDS * 2)


def retry_delay(*, attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter after the `attempt`-th failure, never sooner than Retry-After."""
    backoff = min(settings.FETCH_RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1), MAX_RETRY_DELAY)
    delay = backoff * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
    if retry_after is not None:
        delay = max(delay, min(retry_after, 24 * 3600.0))
    return delay


def snapshot_reusable(*, team: Team, url: str) -> Snapshot | None:
    """The latest good (or still running) snapshot of this normalised URL in the team, within the reuse window.

    Pages captured in a browser are the reader's copies, never reused as the server's fetch."""
    since = timezone.now() - datetime.timedelta(seconds=settings.FETCH_REUSE_WINDOW_SECONDS)
    return (
        Snapshot.objects.filter(team=team, url=url, captured_by__isnull=True)
        .filter(
            Q(status=SnapshotStatus.FETCHED, fetched_at__gte=since) | Q(status__in=IN_FLIGHT, created_at__gte=since)
        )
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def snapshot_for_source(*, source: Source, fresh: bool = False) -> tuple[Snapshot, bool]:
    """Point the source at a snapshot of its URL: a recent one when there is one, else a new pending one.

    Returns the snapshot and whether a fetch must be queued for it (the caller queues it on commit).
    With `fresh`, a recent finished snapshot is not reused (a refetch). The source's evidence is
    found again in the worker: on commit for a snapshot already fetched, else once it is.
    """
    url = normalize_url(source.url)
    snapshot = snapshot_reusable(team=source.team, url=url)
    if fresh and snapshot is not None and snapshot.status not in IN_FLIGHT:
        snapshot = None
    created = snapshot is None
    if snapshot is None:
        snapshot = Snapshot.objects.create(team=source.team, url=url)
    source_snapshot_set(source=source, snapshot=snapshot)
    return snapshot, created


@transaction.atomic
def _claim(snapshot_id: int) -> tuple[Snapshot | None, FetchOutcome | None]:
    """Move the snapshot to fetching if it is due: pending, or fetching but stuck past its deadline."""
    snapshot = Snapshot.objects.select_for_update(no_key=True).filter(pk=snapshot_id).first()
    if snapshot is None:
        return None, FetchOutcome(snapshot_id=snapshot_id, status="missing")
    now = timezone.now()
    if snapshot.status not in IN_FLIGHT:
        return None, FetchOutcome(snapshot_id=snapshot.pk, status=snapshot.status)
    if snapshot.deadline_at is not None and snapshot.deadline_at > now:
        # A retry not due yet, or another worker's attempt still within its time: check again then.
        wait = (snapshot.deadline_at - now).total_seconds()
        return None, FetchOutcome(snapshot_id=snapshot.pk, status=snapshot.status, run_again_in=wait + 1)
    if snapshot.attempts >= settings.FETCH_MAX_ATTEMPTS:
        interrupted = snapshot.status == SnapshotStatus.FETCHING
        snapshot.status = SnapshotStatus.FAILED
        if interrupted or not snapshot.reason:
            snapshot.reason = (
                f"Gave up after {snapshot.attempts} attempts: the last one did not finish "
                "(its worker stopped or ran out of time)."
            )
        snapshot.deadline_at = None
        snapshot.save(update_fields=["status", "reason", "deadline_at"])
        _record(snapshot)
        snapshot_evidence_none(snapshot=snapshot)
        return None, FetchOutcome(snapshot_id=snapshot.pk, status=snapshot.status)
    _soft, hard = fetch_time_limits()
    snapshot.status = SnapshotStatus.FETCHING
    snapshot.attempts += 1
    snapshot.deadline_at = now + datetime.timedelta(seconds=hard + 5)
    snapshot.queued_at = None
    snapshot.save(update_fields=["status", "attempts", "deadline_at", "queued_at"])
    return snapshot, None


def snapshot_fetch(
    *,
    snapshot_id: int,
    resolver: Resolver = system_resolver,
    connector: Connector | None = None,
    policy: FetchPolicy | None = None,
    retry: bool = True,
) -> FetchOutcome:
    """One fetch attempt for the snapshot, recorded on it. Safe to run twice: the status guards it.

    The network part runs outside any transaction and outside any lock. With `retry`, a failure that
    may pass (timeouts, connection errors, 5xx, 429) sets the snapshot back to pending and asks the
    caller to run again later, until FETCH_MAX_ATTEMPTS; without it, the failure is final.
    """
    snapshot, outcome = _claim(snapshot_id)
    if outcome is not None:
        return outcome
    assert snapshot is not None
    attempt = snapshot.attempts
    with tempfile.TemporaryFile() as sink:
        try:
            result = fetch(
                snapshot.url, policy=policy or fetch_policy(), resolver=resolver, connector=connector, sink=sink
            )
        except FetchRefused as exc:
            return _finish_failure(snapshot.pk, attempt, SnapshotStatus.BLOCKED, exc.reason)
        except FetchFailed as exc:
            if exc.retryable and retry and attempt < settings.FETCH_MAX_ATTEMPTS:
                return _schedule_retry(snapshot.pk, attempt, exc.reason, exc.retry_after)
            return _finish_failure(snapshot.pk, attempt, SnapshotStatus.FAILED, _final_reason(exc.reason, attempt))
        except Exception as exc:  # a soft time limit or a bug must not leave it stuck
            logger.exception("Fetching snapshot %s failed unexpectedly", snapshot.pk)
            reason = f"The fetch stopped unexpectedly ({type(exc).__name__})."
            if retry and attempt < settings.FETCH_MAX_ATTEMPTS:
                return _schedule_retry(snapshot.pk, attempt, reason, None)
            return _finish_failure(snapshot.pk, attempt, SnapshotStatus.FAILED, _final_reason(reason, attempt))
        return _finish_success(snapshot, attempt, result, cast(BinaryIO, sink))


def _final_reason(reason: str, attempt: int) -> str:
    return reason if attempt <= 1 else f"{reason} (gave up after {attempt} attempts)"


def _current(snapshot_id: int, attempt: int) -> Snapshot | None:
    """The snapshot, locked, if this attempt still owns it (a stuck attempt may have been taken over)."""
    snapshot = Snapshot.objects.select_for_update(no_key=True).filter(pk=snapshot_id).first()
    if snapshot is None or snapshot.status != SnapshotStatus.FETCHING or snapshot.attempts != attempt:
        return None
    return snapshot


@transaction.atomic
def _schedule_retry(snapshot_id: int, attempt: int, reason: str, retry_after: float | None) -> FetchOutcome:
    snapshot = _current(snapshot_id, attempt)
    if snapshot is None:
        return FetchOutcome(snapshot_id=snapshot_id, status="superseded")
    delay = retry_delay(attempt=attempt, retry_after=retry_after)
    snapshot.status = SnapshotStatus.PENDING
    snapshot.reason = (
        f"Attempt {attempt} of {settings.FETCH_MAX_ATTEMPTS} failed: {reason} Trying again in {delay:.0f} s."
    )
    snapshot.deadline_at = timezone.now() + datetime.timedelta(seconds=delay)
    snapshot.queued_at = None
    snapshot.save(update_fields=["status", "reason", "deadline_at", "queued_at"])
    return FetchOutcome(snapshot_id=snapshot.pk, status=snapshot.status, run_again_in=delay)


@transaction.atomic
def _finish_failure(snapshot_id: int, attempt: int, status: str, reason: str) -> FetchOutcome:
    snapshot = _current(snapshot_id, attempt)
    if snapshot is None:
        return FetchOutcome(snapshot_id=snapshot_id, status="superseded")
    snapshot.status = status
    snapshot.reason = reason
    snapshot.deadline_at = None
    snapshot.save(update_fields=["status", "reason", "deadline_at"])
    _record(snapshot)
    snapshot_evidence_none(snapshot=snapshot)
    return FetchOutcome(snapshot_id=snapshot.pk, status=snapshot.status)


def _store_warc(snapshot: Snapshot, attempt: int, result: FetchResult) -> tuple[str, str]:
    """Write the fetch's WARC (streamed from the bodies' files) and store it: its storage name and index."""
    with tempfile.TemporaryFile() as warc:
        for exchange in result.exchanges:
            exchange.body.seek(0)
        filename = snapshot_warc_name(snapshot.pk)
        write_warc(warc, result.exchanges, filename=filename, info={"conformsTo": WARC_CONFORMS_TO})
        warc.seek(0)
        index = warc_index(warc, filename=filename)
        warc.seek(0)
        name = f"snapshot-{snapshot.pk}-{attempt}.warc.gz"
        stored = default_storage.save(snapshot.warc.field.generate_filename(snapshot, name), File(warc, name=name))
    return stored, "\n".join(index)


def _finish_success(snapshot: Snapshot, attempt: int, result: FetchResult, body: BinaryIO) -> FetchOutcome:
    extraction = extract(body, content_type=result.content_type, charset=result.charset, url=result.final_url)
    body.seek(0)
    name = f"{result.sha256}{_EXTENSIONS.get(result.content_type, '.bin')}"
    stored = snapshot.body.field.generate_filename(snapshot, name)
    stored = default_storage.save(stored, File(body, name=name))
    try:
        warc, index = _store_warc(snapshot, attempt, result)
    finally:
        result.close_redirects()
    with transaction.atomic():
        current = _current(snapshot.pk, attempt)
        if current is None:
            default_storage.delete(stored)
            default_storage.delete(warc)
            return FetchOutcome(snapshot_id=snapshot.pk, status="superseded")
        content_type = result.content_type + (f"; charset={result.charset}" if result.charset else "")
        current.status = SnapshotStatus.FETCHED
        current.reason = extraction.reason
        current.final_url = result.final_url
        current.redirect_chain = result.redirect_chain
        current.http_status = result.status_code
        current.content_type = content_type[:200]
        current.size = result.size
        current.sha256 = result.sha256
        current.fetched_at = result.started_at
        current.duration_ms = round(result.duration_seconds * 1000)
        current.title = extraction.title
        current.byline = extraction.byline
        current.published = (extraction.published or "")[:64]
        current.text = extraction.text
        current.extraction_state = extraction.state
        current.pages = extraction.pages
        current.body.name = stored
        current.warc.name = warc
        current.warc_index = index
        current.deadline_at = None
        current.save()
        _record(current)
    return FetchOutcome(snapshot_id=current.pk, status=current.status, fetched_now=True)


def _record(snapshot: Snapshot) -> None:
    audit_record(
        team=snapshot.team,
        actor=None,
        action=f"snapshot.{snapshot.status}",
        target=snapshot,
        after={
            "url": snapshot.url,
            "status": snapshot.status,
            "reason": snapshot.reason,
            "attempts": snapshot.attempts,
        },
    )
