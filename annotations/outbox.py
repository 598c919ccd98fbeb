"""The outbox between the services and the queue.

Services record work as rows, in their own transaction: a pending snapshot to fetch, a source whose
evidence is to be found, a pending webhook delivery to send, a review feed whose next read has come.
`queue_on_commit` sends the task once the transaction has committed; if the broker is down then, the
row stays as it is and the request still succeeds. `sweep` (run by beat every OUTBOX_SWEEP_SECONDS)
sends what is due or was missed: work recorded while the broker was down, retries whose time has
come, tasks a killed worker lost. Retries are rows with a due time, never tasks waiting in the
broker, so Redis' visibility timeout cannot hand them out twice; the status guard of each task makes
a duplicate harmless anyway.

Task names, not task functions: services do not import tasks.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from celery import current_app
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from annotations.models import (
    ClaimEmbedding,
    DeliveryStatus,
    ExternalReview,
    ReviewFeed,
    Snapshot,
    SnapshotStatus,
    Source,
    SuggestionModel,
    SuggestionScan,
    WebhookDelivery,
)

logger = logging.getLogger(__name__)

FETCH = "annotations.fetch_snapshot"
EVIDENCE = "annotations.check_evidence"
DELIVER = "annotations.deliver_webhook"
EMBED_CLAIM = "annotations.embed_claim"
EMBED_REVIEW = "annotations.embed_review"
SUGGEST = "annotations.suggest_claims"
REFIT_SUGGESTIONS = "annotations.refit_suggestions"
REFRESH_FEED = "annotations.refresh_review_feed"
# A task sent but not started within this time is sent again (a worker lost it).
REQUEUE_AFTER = datetime.timedelta(minutes=5)
SWEEP_BATCH = 500


@dataclass(frozen=True)
class _Kind:
    task: str
    queue: str
    model: type[models.Model]
    queued_at: str = "queued_at"


_KINDS = {
    FETCH: _Kind(FETCH, "fetch", Snapshot),
    EVIDENCE: _Kind(EVIDENCE, "fetch", Source, queued_at="evidence_queued_at"),
    DELIVER: _Kind(DELIVER, "webhooks", WebhookDelivery),
    EMBED_CLAIM: _Kind(EMBED_CLAIM, "embed", ClaimEmbedding),
    EMBED_REVIEW: _Kind(EMBED_REVIEW, "embed", ExternalReview),
    SUGGEST: _Kind(SUGGEST, "default", SuggestionScan),
    REFIT_SUGGESTIONS: _Kind(REFIT_SUGGESTIONS, "default", SuggestionModel),
    REFRESH_FEED: _Kind(REFRESH_FEED, "fetch", ReviewFeed),
}


def queue_of(task: str) -> str:
    """The Celery queue a task of the outbox runs on (the task declares the same one)."""
    return _KINDS[task].queue


def queue_on_commit(task: str, *object_ids: int) -> None:
    """Send `task` for the rows once the current transaction commits (the sweep covers a refusal)."""
    if object_ids:
        transaction.on_commit(partial(send, task, object_ids))


def send(task: str, ids: Iterable[int]) -> list[int]:
    """Send the task for each id and mark the rows queued. Stops at the first refusal of the broker
    and leaves the rest for the sweep. Returns the ids sent."""
    kind = _KINDS[task]
    sent: list[int] = []
    for object_id in ids:
        try:
            current_app.send_task(task, args=(object_id,), queue=kind.queue, retry=False)
        except Exception:  # the broker is down or refused: the row waits for the sweep
            logger.warning("Could not queue %s for %s; the outbox sweep will send it.", task, object_id, exc_info=True)
            break
        sent.append(object_id)
    if sent:
        kind.model._default_manager.filter(pk__in=sent).update(**{kind.queued_at: timezone.now()})
    return sent


def due(task: str, *, now: datetime.datetime | None = None) -> list[int]:
    """The rows whose task should be sent now: due (or overdue) and not sent recently."""
    now = now or timezone.now()
    queued_at = _KINDS[task].queued_at
    fresh = Q(**{f"{queued_at}__isnull": True}) | Q(**{f"{queued_at}__lt": now - REQUEUE_AFTER})
    if task == EVIDENCE:
        # A pending source whose snapshot is still being fetched waits: the finished fetch queues it.
        rows: QuerySet[Any] = Source.objects.filter(
            fresh, evidence_pending=True, snapshot__status=SnapshotStatus.FETCHED
        )
    elif task == FETCH:
        waiting = Q(status=SnapshotStatus.PENDING) & (Q(deadline_at__isnull=True) | Q(deadline_at__lte=now))
        expired = Q(status=SnapshotStatus.FETCHING, deadline_at__lt=now)  # its worker died: take it over
        rows = Snapshot.objects.filter((waiting & fresh) | expired)
    elif task == REFRESH_FEED:
        # A feed is due on its schedule; one being read is due again only once its read's deadline passed.
        rows = ReviewFeed.objects.filter(fresh, next_refresh_at__lte=now)
    elif task in (EMBED_CLAIM, EMBED_REVIEW):
        rows = _KINDS[task].model._default_manager.filter(fresh, pending=True)
    elif task == SUGGEST:
        rows = SuggestionScan.objects.filter(fresh, pending=True)
    elif task == REFIT_SUGGESTIONS:
        rows = SuggestionModel.objects.filter(fresh, refit_pending=True)
    else:
        waiting = Q(status=DeliveryStatus.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        expired = Q(status=DeliveryStatus.SENDING, next_attempt_at__lt=now)
        rows = WebhookDelivery.objects.filter((waiting & fresh) | expired)
    return list(rows.order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])


def sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send every kind of due work. Returns how many of each were sent."""
    return {task: len(send(task, due(task, now=now))) for task in _KINDS}
