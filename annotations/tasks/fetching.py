"""Fetch tasks: thin wrappers that run one snapshot attempt and schedule the next one when asked to."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import reset_queries

from annotations.services.snapshots import fetch_time_limits, snapshot_fetch, snapshots_due

_SOFT_LIMIT, _HARD_LIMIT = fetch_time_limits()


@shared_task(
    bind=True,
    name="annotations.fetch_snapshot",
    queue="fetch",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=_SOFT_LIMIT,
    time_limit=_HARD_LIMIT,
    max_retries=None,
    ignore_result=True,
)
def fetch_snapshot(self: Task, snapshot_id: int) -> str:
    """Safe to run again (acks_late): the snapshot's status guards every write.

    Retries are counted on the snapshot (FETCH_MAX_ATTEMPTS), not by Celery: the service decides
    when a failure may pass and how long to wait (backoff with jitter, or Retry-After).
    """
    reset_queries()  # with DEBUG, Django logs every query; a 20 MB text would stay in that log
    outcome = snapshot_fetch(snapshot_id=snapshot_id)
    if outcome.run_again_in is not None:
        raise self.retry(countdown=outcome.run_again_in, max_retries=None)
    return outcome.status


@shared_task(name="annotations.requeue_stuck_fetches", soft_time_limit=30, time_limit=60)
def requeue_stuck_fetches() -> list[int]:
    """Periodic (beat): queue again the fetches whose task was lost, e.g. with a worker killed mid-fetch."""
    due = snapshots_due()
    for snapshot_id in due:
        fetch_snapshot.delay(snapshot_id)
    return due
