"""Notifications, on the "default" queue: one task per notifying audit event (sent on commit by
annotations/notifying.py), the due-date check and the sweep (both on beat's schedule)."""

from __future__ import annotations

from celery import shared_task

from annotations.notifying import NOTIFY_DUE, NOTIFY_EVENT, QUEUE, SWEEP_NOTIFICATIONS
from annotations.services.notifications import (
    notification_email_send,
    notifications_due,
    notifications_from_event,
    notifications_sweep,
)


def _email(notification_ids: list[int]) -> int:
    return sum(notification_email_send(notification_id=pk) for pk in notification_ids)


@shared_task(name=NOTIFY_EVENT, queue=QUEUE, acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def notify_event(event_id: int) -> int:
    """Safe to run twice (acks_late): an event is turned into notifications once, and each email is
    claimed before it is sent."""
    created = notifications_from_event(event_id=event_id)
    _email([n.pk for n in created if n.email_wanted])
    return len(created)


@shared_task(name=NOTIFY_DUE, queue=QUEUE, acks_late=True, soft_time_limit=120, time_limit=180, ignore_result=True)
def notify_due() -> int:
    created = notifications_due()
    _email([n.pk for n in created if n.email_wanted])
    return len(created)


@shared_task(
    name=SWEEP_NOTIFICATIONS, queue=QUEUE, acks_late=True, soft_time_limit=120, time_limit=180, ignore_result=True
)
def sweep_notifications() -> dict[str, int]:
    return notifications_sweep()
