"""Fetch tasks: thin wrappers that run one snapshot attempt; the outbox sweep sends the retries."""

from __future__ import annotations

from celery import shared_task
from django.db import reset_queries

from annotations import outbox
from annotations.services.embeddings import embeddings_catch_up
from annotations.services.evidence import snapshot_evidence_start
from annotations.services.snapshots import fetch_time_limits, snapshot_fetch

_SOFT_LIMIT, _HARD_LIMIT = fetch_time_limits()


@shared_task(
    name=outbox.FETCH,
    queue=outbox.queue_of(outbox.FETCH),
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=_SOFT_LIMIT,
    time_limit=_HARD_LIMIT,
    ignore_result=True,
)
def fetch_snapshot(snapshot_id: int) -> str:
    """Safe to run again (acks_late): the snapshot's status guards every write.

    Retries are counted on the snapshot (FETCH_MAX_ATTEMPTS), not by Celery: the service records
    when the next attempt is due (backoff with jitter, or Retry-After) and the outbox sweep sends
    it then, so no task waits in the broker for its turn. A fetched text is prepared for the
    evidence check, and the checks of its sources are sent, once the snapshot is recorded.
    """
    reset_queries()  # with DEBUG, Django logs every query; a 20 MB text would stay in that log
    outcome = snapshot_fetch(snapshot_id=snapshot_id)
    if outcome.fetched_now:
        snapshot_evidence_start(snapshot_id=snapshot_id)  # after the snapshot's row is released
    return outcome.status


@shared_task(name="annotations.sweep_outbox", soft_time_limit=30, time_limit=60, ignore_result=True)
def sweep_outbox() -> dict[str, int]:
    """Periodic (beat): send the work that is due or was missed (see annotations.outbox), after giving
    every claim a meaning vector to compute and marking those of an older model (embeddings_catch_up)."""
    embeddings_catch_up()
    return outbox.sweep()
