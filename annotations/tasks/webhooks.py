"""Webhook deliveries: one task per logged delivery, on the "webhooks" queue; the outbox sweep sends retries."""

from __future__ import annotations

from celery import shared_task

from annotations import outbox
from annotations.services.webhooks import webhook_deliver


@shared_task(
    name=outbox.DELIVER, queue=outbox.queue_of(outbox.DELIVER), soft_time_limit=30, time_limit=60, ignore_result=True
)
def deliver_webhook(delivery_id: int) -> str:
    """Not acks_late: a delivery interrupted mid-POST is not resent blindly. The delivery row is
    claimed before it is sent, counts attempts up to MAX_ATTEMPTS and records when the next one is
    due; the outbox sweep sends it then."""
    return webhook_deliver(delivery_id=delivery_id).status
