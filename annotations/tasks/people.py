"""The invitation email, sent by the worker after the invitation's transaction committed."""

from __future__ import annotations

from celery import shared_task

from annotations.services.people import INVITATION_QUEUE, SEND_INVITATION, invitation_email_send


@shared_task(name=SEND_INVITATION, queue=INVITATION_QUEUE, soft_time_limit=30, time_limit=60, ignore_result=True)
def send_invitation(invitation_id: int, token: str, base_url: str) -> bool:
    """Idempotent enough: a link replaced or revoked in between is not sent (see the service)."""
    return invitation_email_send(invitation_id=invitation_id, token=token, base_url=base_url)
