"""Which lifecycle transitions a member may take on a claim.

The one table of the claim lifecycle: the workflow services refuse what `transition_refusal`
refuses, and the claim panel offers what `transitions_allowed` allows, so the two cannot drift.

    new ──assign──> in_research ──propose──> in_review ──approve──> approved ──publish──> published
                        ^                       │                                          │
                        └─resume── changes_requested <─request_changes                   correct
    any ──not_check_worthy (reason)──> not_check_worthy ──reopen──> new
"""

from __future__ import annotations

from dataclasses import dataclass

from annotations.access import ROLE_RANK
from annotations.errors import Conflict, NotAllowed, ServiceError
from annotations.models import Claim, ClaimStatus, Membership, Role, Verdict

S = ClaimStatus
OPEN_STATUSES = frozenset({S.NEW, S.IN_RESEARCH, S.CHANGES_REQUESTED})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    role: Role
    needs: tuple[str, ...] = ()


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("assign", "Assign", OPEN_STATUSES, S.IN_RESEARCH, Role.EDITOR, ("assignee",)),
        Transition(
            "propose", "Propose verdict", frozenset({S.IN_RESEARCH}), S.IN_REVIEW, Role.REVIEWER,
            ("rating", "summary", "rationale"),
        ),
        Transition(
            "request_changes", "Request changes", frozenset({S.IN_REVIEW}), S.CHANGES_REQUESTED, Role.EDITOR, ("note",)
        ),
        Transition("resume", "Resume research", frozenset({S.CHANGES_REQUESTED}), S.IN_RESEARCH, Role.REVIEWER),
        Transition("approve", "Approve", frozenset({S.IN_REVIEW}), S.APPROVED, Role.EDITOR),
        Transition("publish", "Publish", frozenset({S.APPROVED}), S.PUBLISHED, Role.EDITOR),
        Transition(
            "correct", "Correct the published verdict", frozenset({S.PUBLISHED}), S.PUBLISHED, Role.EDITOR,
            ("rating", "summary", "rationale", "note"),
        ),
        Transition(
            "not_check_worthy", "Not check-worthy", frozenset(S) - {S.NOT_CHECK_WORTHY}, S.NOT_CHECK_WORTHY,
            Role.REVIEWER, ("reason",),
        ),
        Transition("reopen", "Reopen", frozenset({S.NOT_CHECK_WORTHY}), S.NEW, Role.EDITOR),
    )
}  # fmt: skip

# Reviewers may set aside a claim still being researched; later in the lifecycle it takes an editor.
REVIEWER_NOT_CHECK_WORTHY_FROM = frozenset({S.NEW, S.IN_RESEARCH})


def _has_role(membership: Membership | None, role: str) -> bool:
    return membership is not None and ROLE_RANK[Role(membership.role)] >= ROLE_RANK[Role(role)]


def current_verdict(*, claim: Claim) -> Verdict | None:
    return Verdict.objects.filter(claim=claim, is_current=True).select_related("rating").first()


def transition_refusal(
    *, claim: Claim, membership: Membership | None, action: str, verdict: Verdict | None = None
) -> ServiceError | None:
    """Why `membership` may not take `action` on `claim` now, or None if it may.

    NotAllowed for the member's role or identity, Conflict for the claim's state. `verdict` is the
    claim's current verdict (looked up when the action needs it and it is not given).
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        return NotAllowed(f"Unknown action {action!r}.")
    if membership is None or membership.team_id != claim.team_id:
        return NotAllowed("Only members of the claim's team can change it.")
    role = transition.role
    if action == "not_check_worthy" and claim.status not in REVIEWER_NOT_CHECK_WORTHY_FROM:
        role = Role.EDITOR
    if not _has_role(membership, role):
        return NotAllowed(f"“{transition.label}” needs the {role.label.lower()} role.")
    if claim.status not in transition.sources:
        return Conflict(f"“{transition.label}” is not possible while the claim is {S(claim.status).label.lower()}.")
    if action in ("approve", "publish", "correct"):
        verdict = verdict if verdict is not None else current_verdict(claim=claim)
        if verdict is None:
            return Conflict("The claim has no verdict.")
        if action == "approve" and verdict.author_id == membership.user_id:
            return NotAllowed("A verdict must be approved by an editor other than its author.")
    return None


def transitions_allowed(*, claim: Claim, membership: Membership | None) -> list[Transition]:
    """The transitions the member can take on the claim now, in lifecycle order."""
    verdict = current_verdict(claim=claim) if claim.status in (S.IN_REVIEW, S.APPROVED, S.PUBLISHED) else None
    return [
        t
        for t in TRANSITIONS.values()
        if transition_refusal(claim=claim, membership=membership, action=t.action, verdict=verdict) is None
    ]
