"""Meaning vectors, computed on the "embed" queue: one thin task per claim or imported review."""

from __future__ import annotations

from celery import shared_task

from annotations import outbox
from annotations.services.embeddings import claim_embed, review_embed


@shared_task(
    name=outbox.EMBED_CLAIM,
    queue=outbox.queue_of(outbox.EMBED_CLAIM),
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def embed_claim(claim_id: int) -> str:
    """Safe to run again: a vector that is current is not computed again."""
    return claim_embed(claim_id=claim_id)


@shared_task(
    name=outbox.EMBED_REVIEW,
    queue=outbox.queue_of(outbox.EMBED_REVIEW),
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def embed_review(review_id: int) -> str:
    """Safe to run again: a vector that is current is not computed again."""
    return review_embed(review_id=review_id)
