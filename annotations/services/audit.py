"""The audit trail: every service that changes something records it here, in the same transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from annotations.models import AuditEvent, Claim, Team


def audit_record(
    *,
    team: Team,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model,
    claim: Claim | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        team=team,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.model_name or "",
        target_id=target.pk,
        claim=claim,
        before=before or {},
        after=after or {},
    )


def audit_change(event: AuditEvent) -> dict[str, Any]:
    """An audit event as a conflict answer shows it: what was done, by whom, when, before and after."""
    return {
        "action": event.action,
        "by": {"id": event.actor.pk, "username": event.actor.get_username()} if event.actor else None,
        "at": event.created_at.isoformat(),
        "before": event.before,
        "after": event.after,
    }


def changed_fields(instance: models.Model, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The before and after of the fields in `values` that really change, JSON-ready."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, new in values.items():
        old = getattr(instance, name)
        if old != new:
            before[name] = _jsonable(old)
            after[name] = _jsonable(new)
    return before, after


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
