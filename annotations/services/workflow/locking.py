"""Row locking, version checks and the audit entry every workflow write shares."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from annotations.errors import Conflict, NotAllowed
from annotations.models import AuditEvent, Claim, Membership
from annotations.services.audit import audit_change, audit_record


class ClaimConflict(Conflict):
    """The claim changed since the caller read it (its version moved on).

    Carries the claim as it is now and the last change to it (who, when, what before and after),
    so that the person whose save was refused sees the other person's change.
    """

    def __init__(self, message: str, *, current: Claim, last_change: dict[str, Any] | None) -> None:
        super().__init__(message, field="version")
        self.current = current
        self.last_change = last_change


def claim_lock(*, claim: Claim | int) -> Claim:
    """The claim row, locked until the end of the transaction. Call inside a transaction."""
    pk = claim if isinstance(claim, int) else claim.pk
    return Claim.objects.select_for_update(of=("self",)).select_related("team").get(pk=pk)


def member_of(*, claim: Claim, user: User | AnonymousUser | None) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(team_id=claim.team_id, user=user).first()


def require_member(*, claim: Claim, user: User | AnonymousUser | None) -> Membership:
    membership = member_of(claim=claim, user=user)
    if membership is None:
        raise NotAllowed("Only members of the claim's team can change it.")
    return membership


def last_change(*, claim: Claim) -> dict[str, Any] | None:
    """The latest audited change to the claim: who made it, when, and the values before and after.

    A revision of the article's text moves every claim on (their offsets change), so the article's
    latest revision counts as a change to the claim when it is the most recent.
    """
    latest = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    event = latest.filter(claim=claim).first()
    revision = latest.filter(
        team_id=claim.team_id, target_type="article", target_id=claim.article_id, action="article.revise"
    ).first()
    if revision is not None and (event is None or (revision.created_at, revision.pk) > (event.created_at, event.pk)):
        event = revision
    return audit_change(event) if event is not None else None


def check_version(*, claim: Claim, version: int | None) -> None:
    """Raise ClaimConflict when the caller's `version` is not the locked claim's version."""
    if version is None or int(version) == claim.version:
        return
    change = last_change(claim=claim)
    who = (change or {}).get("by") or {}
    fields = ", ".join(sorted((change or {}).get("after", {}))) or "the claim"
    by = who.get("username", "someone")
    raise ClaimConflict(
        f"{by} changed {fields} after you loaded this claim (now version {claim.version}, yours {version}). "
        "Your change was not saved: review theirs and try again.",
        current=claim,
        last_change=change,
    )


def claim_save_audited(
    *,
    claim: Claim,
    user: User | AnonymousUser | None,
    action: str,
    fields: list[str],
    before: dict[str, Any],
    after: dict[str, Any],
    target: Any = None,
) -> Claim:
    """Save `fields` of the locked claim, bump its version and record the audit event."""
    claim.version += 1
    claim.save(update_fields=[*fields, "version", "updated_at"])
    audit_record(
        team=claim.team, actor=user, action=action, target=target or claim, claim=claim, before=before, after=after
    )
    return claim
