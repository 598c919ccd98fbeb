"""Webhook deliveries: one task per logged delivery, on the "webhooks" queue, retried with backoff."""

from __future__ import annotations

from celery import Task, shared_task

from annotations.services.webhooks import webhook_deliver


@shared_task(
    bind=True,
    name="annotations.deliver_webhook",
    queue="webhooks",
    soft_time_limit=30,
    time_limit=60,
    max_retries=None,
    ignore_result=True,
)
def deliver_webhook(self: Task, delivery_id: int) -> str:
    """Not acks_late: a delivery interrupted mid-POST is not resent blindly. The delivery row counts
    attempts and stops at MAX_ATTEMPTS; the row's status guards against a second send."""
    outcome = webhook_deliver(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in, max_retries=None)
    return outcome.status
