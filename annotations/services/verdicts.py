from __future__ import annotations

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
