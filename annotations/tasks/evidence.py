"""The evidence check: a thin task per source, on the "fetch" queue with the fetches it follows."""

from __future__ import annotations

from celery import shared_task
from django.db import reset_queries

from annotations import outbox
from annotations.services.evidence import source_evidence_check


@shared_task(
    name=outbox.EVIDENCE,
    queue=outbox.queue_of(outbox.EVIDENCE),
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def check_evidence(source_id: int) -> str:
    """Safe to run again (acks_late): evidence already found for the source's snapshot and its
    claim's wording is not looked for again, and a result that is out of date is not recorded."""
    reset_queries()  # with DEBUG, Django logs every query; the snapshot's text would stay in that log
    return source_evidence_check(source_id=source_id)
