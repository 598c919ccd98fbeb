"""The claim lifecycle. Each transition locks the claim row, checks the caller's role and the claim's
state against annotations.selectors.workflow, changes the claim, bumps its version and writes an
AuditEvent, all in one transaction. Two editors approving at once therefore record one approval:
the second waits for the first's lock, then finds the claim approved and gets a Conflict.

Once a verdict is published, only corrections (proposed, approved by another editor, published)
and retractions change the claim's public record; the database backs this (migration 0004).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from annotations.errors import InvalidInput, NotAllowed
from annotations.models import Claim, Membership, Rating, Verdict, WebhookEvent
from annotations.selectors.workflow import TRANSITIONS, current_verdict, pending_correction, transition_refusal
from annotations.services.audit import audit_record
from annotations.services.verdicts import (
    verdict_correction_draft,
    verdict_correction_publish,
    verdict_propose,
    verdict_retract,
    verdict_withdraw,
)
from annotations.services.webhooks import webhooks_dispatch
from annotations.services.workflow.locking import check_version, claim_lock, claim_save_audited, member_of

AnyUser = User | AnonymousUser


def _begin(*, claim: Claim, user: AnyUser | None, action: str, version: int | None) -> tuple[Claim, Membership]:
    """Lock the claim, then check the caller's role, their version of the claim and its state, in that order."""
    locked = claim_lock(claim=claim)
    membership = member_of(claim=locked, user=user)
    refusal = transition_refusal(claim=locked, membership=membership, action=action)
    if isinstance(refusal, NotAllowed):
        raise refusal
    check_version(claim=locked, version=version)
    if refusal is not None:
        raise refusal
    assert membership is not None
    return locked, membership


def _move(
    *,
    claim: Claim,
    user: AnyUser | None,
    action: str,
    changes: dict[str, Any] | None = None,
    extra_after: dict[str, Any] | None = None,
    target: Any = None,
) -> Claim:
    """Set the transition's target status (and `changes`) on the locked claim, audited."""
    values = {"status": TRANSITIONS[action].target, **(changes or {})}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in values.items():
        old = getattr(claim, name)
        key = name.removesuffix("_id") if name.endswith("_id") else name
        if old != value:
            before[key] = old.isoformat() if isinstance(old, datetime.datetime) else old
            after[key] = value.isoformat() if isinstance(value, datetime.datetime) else value
        setattr(claim, name, value)
    after.update(extra_after or {})
    return claim_save_audited(
        claim=claim, user=user, action=f"claim.{action}", fields=list(values), before=before, after=after, target=target
    )


def _assignee_membership(*, claim: Claim, assignee: User | None) -> User:
    if assignee is None:
        raise InvalidInput("Choose whom to assign the claim to.", field="assignee")
    if not Membership.objects.filter(team_id=claim.team_id, user=assignee).exists():
        raise InvalidInput("The assignee must be a member of the team.", field="assignee")
    return assignee


def due_at_default(*, claim: Claim, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(days=claim.team.default_due_days)


@transaction.atomic
def claim_assign(*, claim: Claim, user: AnyUser | None, assignee: User | None, version: int | None = None) -> Claim:
    """Assign the claim (an editor's job); a new claim goes into research and gets the team's due date."""
    claim, _ = _begin(claim=claim, user=user, action="assign", version=version)
    assignee = _assignee_membership(claim=claim, assignee=assignee)
    changes: dict[str, Any] = {"assignee_id": assignee.pk}
    if claim.due_at is None:
        changes["due_at"] = due_at_default(claim=claim)
    return _move(claim=claim, user=user, action="assign", changes=changes)


@transaction.atomic
def claim_propose(
    *,
    claim: Claim,
    user: User,
    rating: Rating | None,
    summary: str,
    rationale: str = "",
    version: int | None = None,
) -> Claim:
    """Propose a verdict: the claim goes to review. The verdict comes from verdict_propose."""
    claim, _ = _begin(claim=claim, user=user, action="propose", version=version)
    if rating is None:
        raise InvalidInput("Choose a rating.", field="rating")
    verdict = verdict_propose(claim=claim, user=user, rating=rating, summary=summary, rationale=rationale)
    return _move(claim=claim, user=user, action="propose", extra_after={"verdict": verdict.pk})


@transaction.atomic
def claim_request_changes(*, claim: Claim, user: User, note: str, version: int | None = None) -> Claim:
    claim, _ = _begin(claim=claim, user=user, action="request_changes", version=version)
    if not note.strip():
        raise InvalidInput("Say what needs to change.", field="note")
    return _move(claim=claim, user=user, action="request_changes", extra_after={"note": note.strip()})


@transaction.atomic
def claim_resume(*, claim: Claim, user: User, version: int | None = None) -> Claim:
    claim, _ = _begin(claim=claim, user=user, action="resume", version=version)
    return _move(claim=claim, user=user, action="resume")


@transaction.atomic
def claim_approve(*, claim: Claim, user: User, version: int | None = None) -> Claim:
    """Approve the current verdict. Needs an editor who is not its author; exactly one approval counts."""
    claim, _ = _begin(claim=claim, user=user, action="approve", version=version)
    verdict = current_verdict(claim=claim)
    assert verdict is not None
    verdict.approved_by = user
    verdict.approved_at = timezone.now()
    verdict.save(update_fields=["approved_by", "approved_at"])
    return _move(claim=claim, user=user, action="approve", extra_after={"verdict": verdict.pk}, target=verdict)


@transaction.atomic
def claim_publish(*, claim: Claim, user: User, version: int | None = None) -> Claim:
    """Publish the approved verdict and tell the team's webhooks ("verdict.published")."""
    claim, _ = _begin(claim=claim, user=user, action="publish", version=version)
    verdict = current_verdict(claim=claim)
    assert verdict is not None
    verdict.published_at = timezone.now()
    verdict.save(update_fields=["published_at"])
    claim = _move(claim=claim, user=user, action="publish", extra_after={"verdict": verdict.pk}, target=verdict)
    webhooks_dispatch(team=claim.team, event=WebhookEvent.VERDICT_PUBLISHED, verdict=verdict)
    return claim


def _draft(*, claim: Claim) -> Verdict:
    draft = pending_correction(claim=claim)
    assert draft is not None  # transition_refusal checked it under the claim's lock
    return draft


@transaction.atomic
def claim_propose_correction(
    *,
    claim: Claim,
    user: User,
    rating: Rating | None,
    summary: str,
    note: str,
    rationale: str = "",
    version: int | None = None,
) -> Claim:
    """Propose a correction of the published verdict (`note`: what it changes); it goes to review.

    The correction is a draft verdict that `corrects` the published one; the published verdict
    stays current and public until the correction is approved and published.
    """
    claim, _ = _begin(claim=claim, user=user, action="propose_correction", version=version)
    if rating is None:
        raise InvalidInput("Choose a rating.", field="rating")
    draft = verdict_correction_draft(
        claim=claim, user=user, rating=rating, summary=summary, rationale=rationale, note=note
    )
    audit_record(
        team=claim.team,
        actor=user,
        action="verdict.propose_correction",
        target=draft,
        claim=claim,
        before={"verdict": draft.corrects_id},
        after={"verdict": draft.pk, "rating": rating.label, "summary": draft.summary, "note": draft.correction_note},
    )
    return _move(
        claim=claim,
        user=user,
        action="propose_correction",
        extra_after={"verdict": draft.pk, "note": draft.correction_note},
        target=draft,
    )


@transaction.atomic
def claim_approve_correction(*, claim: Claim, user: User, version: int | None = None) -> Claim:
    """Approve the correction under review. Needs an editor who is not its author, as a first publication does."""
    claim, _ = _begin(claim=claim, user=user, action="approve_correction", version=version)
    draft = _draft(claim=claim)
    draft.approved_by = user
    draft.approved_at = timezone.now()
    draft.save(update_fields=["approved_by", "approved_at"])
    return _move(claim=claim, user=user, action="approve_correction", extra_after={"verdict": draft.pk}, target=draft)


@transaction.atomic
def claim_publish_correction(*, claim: Claim, user: User, version: int | None = None) -> Claim:
    """Publish the approved correction: it becomes the current verdict and the old one leaves the feed.

    The old verdict stays in the claim's history and, with the correction, in the public
    corrections log. Tells the team's webhooks ("verdict.corrected").
    """
    claim, _ = _begin(claim=claim, user=user, action="publish_correction", version=version)
    draft = _draft(claim=claim)
    previous = verdict_correction_publish(draft=draft, now=timezone.now())
    audit_record(
        team=claim.team,
        actor=user,
        action="verdict.correct",
        target=draft,
        claim=claim,
        before={"verdict": previous.pk, "rating": previous.rating.label},
        after={"verdict": draft.pk, "rating": draft.rating.label, "note": draft.correction_note},
    )
    claim = _move(claim=claim, user=user, action="publish_correction", extra_after={"verdict": draft.pk}, target=draft)
    webhooks_dispatch(team=claim.team, event=WebhookEvent.VERDICT_CORRECTED, verdict=draft)
    return claim


@transaction.atomic
def claim_withdraw_correction(*, claim: Claim, user: User, note: str, version: int | None = None) -> Claim:
    """Withdraw the correction under way (an editor, or its author), saying why; the claim is published as it was.

    The draft stays in the claim's history, marked withdrawn, and can never be published.
    """
    claim, _ = _begin(claim=claim, user=user, action="withdraw_correction", version=version)
    if not note.strip():
        raise InvalidInput("Say why the correction is withdrawn.", field="note")
    draft = verdict_withdraw(draft=_draft(claim=claim), now=timezone.now())
    return _move(
        claim=claim,
        user=user,
        action="withdraw_correction",
        extra_after={"verdict": draft.pk, "note": note.strip()},
        target=draft,
    )


@transaction.atomic
def claim_retract(*, claim: Claim, user: User, note: str, version: int | None = None) -> Claim:
    """Retract the published verdict (editors), with a public note; a correction under way is withdrawn.

    The claim leaves the ClaimReview detail and feed; the public corrections log keeps a tombstone
    (the quote, the retracted rating and summary, the note, when, and the team's name). Tells the
    team's webhooks ("verdict.retracted").
    """
    claim, _ = _begin(claim=claim, user=user, action="retract", version=version)
    verdict = current_verdict(claim=claim)
    assert verdict is not None
    now = timezone.now()
    draft = pending_correction(claim=claim)
    if draft is not None:
        verdict_withdraw(draft=draft, now=now)
    verdict_retract(verdict=verdict, user=user, note=note, now=now)
    extra: dict[str, Any] = {"verdict": verdict.pk, "note": verdict.retraction_note}
    if draft is not None:
        extra["withdrawn"] = draft.pk
    claim = _move(claim=claim, user=user, action="retract", extra_after=extra, target=verdict)
    webhooks_dispatch(team=claim.team, event=WebhookEvent.VERDICT_RETRACTED, verdict=verdict)
    return claim


@transaction.atomic
def claim_mark_not_check_worthy(*, claim: Claim, user: User, reason: str, version: int | None = None) -> Claim:
    claim, _ = _begin(claim=claim, user=user, action="not_check_worthy", version=version)
    if not reason.strip():
        raise InvalidInput("Say why the claim is not worth checking.", field="reason")
    return _move(claim=claim, user=user, action="not_check_worthy", changes={"not_check_worthy_reason": reason.strip()})


@transaction.atomic
def claim_reopen(*, claim: Claim, user: User, version: int | None = None) -> Claim:
    """Reopen a claim set aside or retracted (editors), to check it again; a later publication becomes current."""
    claim, _ = _begin(claim=claim, user=user, action="reopen", version=version)
    return _move(claim=claim, user=user, action="reopen", changes={"not_check_worthy_reason": ""})


def claim_transition(*, claim: Claim, user: User, action: str, version: int | None = None, **fields: Any) -> Claim:
    """Take a lifecycle `action` by name, with the fields it needs (see TRANSITIONS[action].needs).

    The API and the claim panel use this; missing fields are InvalidInput naming the field.
    """
    if action not in TRANSITIONS:
        raise InvalidInput(f"Unknown action {action!r}.", field="action")
    text = {name: str(fields.get(name) or "") for name in ("summary", "rationale", "note", "reason")}
    if action == "assign":
        return claim_assign(claim=claim, user=user, assignee=fields.get("assignee"), version=version)
    rating = fields.get("rating")
    if action == "propose":
        return claim_propose(
            claim=claim, user=user, rating=rating, summary=text["summary"], rationale=text["rationale"], version=version
        )
    if action == "propose_correction":
        return claim_propose_correction(
            claim=claim,
            user=user,
            rating=rating,
            summary=text["summary"],
            rationale=text["rationale"],
            note=text["note"],
            version=version,
        )
    if action == "request_changes":
        return claim_request_changes(claim=claim, user=user, note=text["note"], version=version)
    if action == "not_check_worthy":
        return claim_mark_not_check_worthy(claim=claim, user=user, reason=text["reason"], version=version)
    if action in ("withdraw_correction", "retract"):
        with_note = {"withdraw_correction": claim_withdraw_correction, "retract": claim_retract}
        return with_note[action](claim=claim, user=user, note=text["note"], version=version)
    simple = {
        "resume": claim_resume,
        "approve": claim_approve,
        "publish": claim_publish,
        "approve_correction": claim_approve_correction,
        "publish_correction": claim_publish_correction,
        "reopen": claim_reopen,
    }
    return simple[action](claim=claim, user=user, version=version)
