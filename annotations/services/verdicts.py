from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from annotations.errors import InvalidInput
from annotations.models import Claim, Rating, Verdict
from annotations.services.audit import audit_record


def verdict_check(*, claim: Claim, rating: Rating, summary: str) -> None:
    """What every new verdict must satisfy: a rating on the claim's team's scale and a summary."""
    if rating.scale.team_id != claim.team_id:
        raise InvalidInput("The rating is not on this team's scale.", field="rating")
    if not summary.strip():
        raise InvalidInput("A verdict needs a summary.", field="summary")


def verdict_replace(*, claim: Claim, rating: Rating, summary: str, **fields: Any) -> tuple[Verdict | None, Verdict]:
    """Make a new verdict the claim's current one; the previous one stays in the history, no longer current.

    Locks the claim row (call inside a transaction) so that two new verdicts cannot both become current.
    Returns the previous verdict, if any, and the new one. Audit records are the caller's.
    """
    Claim.objects.select_for_update().filter(pk=claim.pk).get()
    previous = Verdict.objects.filter(claim=claim, is_current=True).select_related("rating").first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    verdict = Verdict.objects.create(team_id=claim.team_id, claim=claim, rating=rating, summary=summary, **fields)
    return previous, verdict


@transaction.atomic
def verdict_propose(*, claim: Claim, user: User | None, rating: Rating, summary: str, rationale: str = "") -> Verdict:
    """Record a new verdict for a claim. The previous one stays in the history, no longer current."""
    verdict_check(claim=claim, rating=rating, summary=summary)
    previous, verdict = verdict_replace(claim=claim, rating=rating, summary=summary, rationale=rationale, author=user)
    audit_record(
        team=claim.team,
        actor=user,
        action="verdict.propose",
        target=verdict,
        claim=claim,
        before={"rating": previous.rating.label} if previous else {},
        after={"rating": rating.label, "summary": summary},
    )
    return verdict


def verdict_correction_draft(
    *, claim: Claim, user: User, rating: Rating, summary: str, rationale: str, note: str
) -> Verdict:
    """A correction of the claim's published verdict, as a draft for review: not current, not published.

    The published verdict stays current (and public) until the correction is published. The claim
    row must be locked by the caller. Audit records are the caller's.
    """
    verdict_check(claim=claim, rating=rating, summary=summary)
    if not note.strip():
        raise InvalidInput("Say what the correction changes.", field="note")
    published = Verdict.objects.get(claim=claim, is_current=True, published_at__isnull=False)
    return Verdict.objects.create(
        team_id=claim.team_id,
        claim=claim,
        rating=rating,
        summary=summary.strip(),
        rationale=rationale,
        corrects=published,
        correction_note=note.strip(),
        author=user,
        is_current=False,
    )


def verdict_correction_publish(*, draft: Verdict, now: datetime.datetime) -> Verdict:
    """Publish an approved correction draft in place of the verdict it corrects; returns that verdict.

    Written in the order the database trigger accepts even when checked row by row: the
    correction is published before the old verdict stops being current, and becomes current last
    (one current verdict per claim). The claim row must be locked by the caller.
    """
    assert draft.corrects_id is not None and draft.approved_at is not None
    previous = Verdict.objects.select_related("rating").get(pk=draft.corrects_id)
    draft.published_at = now
    draft.save(update_fields=["published_at"])
    previous.is_current = False
    previous.save(update_fields=["is_current"])
    draft.is_current = True
    draft.save(update_fields=["is_current"])
    return previous


def verdict_withdraw(*, draft: Verdict, now: datetime.datetime) -> Verdict:
    """Withdraw a correction draft: it stays in the history and can never be published (a database constraint)."""
    draft.withdrawn_at = now
    draft.save(update_fields=["withdrawn_at"])
    return draft


def verdict_retract(*, verdict: Verdict, user: User, note: str, now: datetime.datetime) -> Verdict:
    """Take a published verdict down: it stops being current and carries the public retraction note."""
    if not note.strip():
        raise InvalidInput("Say publicly why the verdict is retracted.", field="note")
    verdict.retracted_at = now
    verdict.retracted_by = user
    verdict.retraction_note = note.strip()
    verdict.is_current = False
    verdict.save(update_fields=["retracted_at", "retracted_by", "retraction_note", "is_current"])
    return verdict
