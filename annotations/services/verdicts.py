from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from annotations.errors import InvalidInput
from annotations.models import Claim, Rating, Verdict
from annotations.services.audit import audit_record


@transaction.atomic
def verdict_propose(*, claim: Claim, user: User | None, rating: Rating, summary: str, rationale: str = "") -> Verdict:
    """Record a new verdict for a claim. The previous one stays in the history, no longer current.

    Locks the claim row so that two verdicts proposed at once cannot both become current.
    """
    if rating.scale.team_id != claim.team_id:
        raise InvalidInput("The rating is not on this team's scale.", field="rating")
    if not summary.strip():
        raise InvalidInput("A verdict needs a summary.", field="summary")
    Claim.objects.select_for_update().filter(pk=claim.pk).get()
    previous = Verdict.objects.filter(claim=claim, is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    verdict = Verdict.objects.create(
        team_id=claim.team_id, claim=claim, rating=rating, summary=summary, rationale=rationale, author=user
    )
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
