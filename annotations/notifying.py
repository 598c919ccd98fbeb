"""The hook from the audit trail to notifications: a new AuditEvent whose action may tell someone
something sends the notifying task for it once the transaction commits. The worker decides who is
told (annotations.services.notifications); an event whose send was missed (the broker was down, a
bulk write that sends no signals) is picked up by the notification sweep.

Task names, not task functions: this module does not import tasks.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import current_app
from django.db import transaction
from django.db.models.signals import post_save

from annotations.models import AuditEvent

logger = logging.getLogger(__name__)

NOTIFY_EVENT = "annotations.notify_event"
NOTIFY_DUE = "annotations.notify_due"
SWEEP_NOTIFICATIONS = "annotations.sweep_notifications"
QUEUE = "default"

NOTIFYING_ACTIONS = frozenset(
    {
        "claim.assign",
        "claim.update",  # an editor setting the assignee
        "claim.request_changes",
        "claim.approve",
        "claim.publish",
        "verdict.correct",
        "comment.add",
    }
)
"""The audit actions that may notify someone (see annotations.services.notifications.recipients_for)."""


def send_notify_event(event_id: int) -> None:
    """Send the task for one event; if the broker refuses, the sweep sends it later."""
    try:
        current_app.send_task(NOTIFY_EVENT, args=(event_id,), queue=QUEUE, retry=False)
    except Exception:  # the broker is down: the event waits for the sweep
        logger.warning("Could not queue notifications for audit event %s; the sweep will.", event_id, exc_info=True)


def audit_event_saved(sender: type[AuditEvent], instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.action not in NOTIFYING_ACTIONS:
        return
    if instance.action == "claim.update" and "assignee" not in (instance.after or {}):
        return  # an edit of the wording, claimant or due date tells nobody
    transaction.on_commit(partial(send_notify_event, instance.pk))


def connect() -> None:
    post_save.connect(audit_event_saved, sender=AuditEvent, dispatch_uid="annotations.notifying.audit_event_saved")
