"""Which lifecycle transitions a member may take on a claim.

The one table of the claim lifecycle: the workflow services refuse what `transition_refusal`
refuses, and the claim panel offers what `transitions_allowed` allows, so the two cannot drift.

    new ──assign──> in_research ──propose──> in_review ──approve──> approved ──publish──> published
                        ^                       │
                        └─resume── changes_requested <─request_changes

    published ──propose_correction──> correction_in_review ──approve_correction──> correction_approved
      ^  ^                                    │                                          │  │
      │  └────────── withdraw_correction ─────┴──────────────────────────────────────────┘  │
      └──────────────────────────────────── publish_correction ─────────────────────────────┘

    published, correction_in_review, correction_approved ──retract (note)──> retracted ──reopen──> new
    new … approved ──not_check_worthy (reason)──> not_check_worthy ──reopen──> new

Once a verdict is published the claim's public record changes only through these steps: a
correction goes through review (four eyes) like the first publication, and the published verdict
stays current and public until the correction is published; a retraction takes it down and
leaves a tombstone in the public corrections log.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotations.access import ROLE_RANK
from annotations.errors import Conflict, NotAllowed, ServiceError
from annotations.models import Claim, ClaimStatus, Membership, Role, Verdict

S = ClaimStatus
OPEN_STATUSES = frozenset({S.NEW, S.IN_RESEARCH, S.CHANGES_REQUESTED})
# The claim has a published verdict, current and public (a correction may be under way).
PUBLISHED_STATUSES = frozenset({S.PUBLISHED, S.CORRECTION_IN_REVIEW, S.CORRECTION_APPROVED})
# The claim's public record is fixed: changed only by a correction or a retraction (or reopening a retraction).
RECORD_STATUSES = PUBLISHED_STATUSES | {S.RETRACTED}
CORRECTION_STATUSES = frozenset({S.CORRECTION_IN_REVIEW, S.CORRECTION_APPROVED})
ON_THE_RECORD = "The claim has a published verdict: propose a correction or retract it."


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
            "propose_correction", "Propose a correction", frozenset({S.PUBLISHED}), S.CORRECTION_IN_REVIEW,
            Role.REVIEWER, ("rating", "summary", "rationale", "note"),
        ),
        Transition(
            "approve_correction", "Approve the correction", frozenset({S.CORRECTION_IN_REVIEW}),
            S.CORRECTION_APPROVED, Role.EDITOR,
        ),
        Transition(
            "publish_correction", "Publish the correction", frozenset({S.CORRECTION_APPROVED}), S.PUBLISHED,
            Role.EDITOR,
        ),
        # An editor, or the correction's author (see transition_refusal).
        Transition(
            "withdraw_correction", "Withdraw the correction", CORRECTION_STATUSES, S.PUBLISHED, Role.REVIEWER,
            ("note",),
        ),
        Transition("retract", "Retract the verdict", PUBLISHED_STATUSES, S.RETRACTED, Role.EDITOR, ("note",)),
        Transition(
            "not_check_worthy", "Not check-worthy", frozenset(S) - {S.NOT_CHECK_WORTHY} - RECORD_STATUSES,
            S.NOT_CHECK_WORTHY, Role.REVIEWER, ("reason",),
        ),
        Transition("reopen", "Reopen", frozenset({S.NOT_CHECK_WORTHY, S.RETRACTED}), S.NEW, Role.EDITOR),
    )
}  # fmt: skip

# Reviewers may set aside a claim still being researched; later in the lifecycle it takes an editor.
REVIEWER_NOT_CHECK_WORTHY_FROM = frozenset({S.NEW, S.IN_RESEARCH})
# The steps that change a published claim's record; every other step is refused there with ON_THE_RECORD.
RECORD_STEPS = frozenset(
    {"propose_correction", "approve_correction", "publish_correction", "withdraw_correction", "retract"}
)


def _has_role(membership: Membership | None, role: str) -> bool:
    return membership is not None and ROLE_RANK[Role(membership.role)] >= ROLE_RANK[Role(role)]


def current_verdict(*, claim: Claim) -> Verdict | None:
    return Verdict.objects.filter(claim=claim, is_current=True).select_related("rating").first()


def pending_correction(*, claim: Claim) -> Verdict | None:
    """The correction draft under review or approved (at most one per claim, a database constraint)."""
    return (
        Verdict.objects.filter(
            claim=claim, corrects__isnull=False, published_at__isnull=True, withdrawn_at__isnull=True
        )
        .select_related("rating")
        .first()
    )


def _state_refusal(claim: Claim, transition: Transition) -> Conflict | None:
    if claim.status in transition.sources:
        return None
    if claim.status in PUBLISHED_STATUSES and transition.action not in RECORD_STEPS:
        return Conflict(ON_THE_RECORD)
    if claim.status == S.RETRACTED and transition.action != "reopen":
        return Conflict("The claim's verdict was retracted: reopen the claim to check it again.")
    return Conflict(f"“{transition.label}” is not possible while the claim is {S(claim.status).label.lower()}.")


def transition_refusal(
    *,
    claim: Claim,
    membership: Membership | None,
    action: str,
    verdict: Verdict | None = None,
    draft: Verdict | None = None,
) -> ServiceError | None:
    """Why `membership` may not take `action` on `claim` now, or None if it may.

    NotAllowed for the member's role or identity, Conflict for the claim's state. `verdict` is the
    claim's current verdict and `draft` its pending correction (looked up when the action needs
    them and they are not given).
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
    state = _state_refusal(claim, transition)
    if state is not None:
        return state
    if action in ("approve", "publish", "propose_correction", "retract"):
        current = verdict if verdict is not None else current_verdict(claim=claim)
        if current is None:
            return Conflict("The claim has no verdict.")
        if action == "approve" and current.author_id == membership.user_id:
            return NotAllowed("A verdict must be approved by an editor other than its author.")
        if action in ("propose_correction", "retract") and current.published_at is None:
            return Conflict("The claim has no published verdict.")
    if action in ("approve_correction", "publish_correction", "withdraw_correction"):
        correction = draft if draft is not None else pending_correction(claim=claim)
        if correction is None:
            return Conflict("The claim has no correction under way.")
        if action == "approve_correction" and correction.author_id == membership.user_id:
            return NotAllowed("A correction must be approved by an editor other than its author.")
        if action == "publish_correction" and correction.approved_at is None:
            return Conflict("The correction has not been approved.")
        if (
            action == "withdraw_correction"
            and correction.author_id != membership.user_id
            and not _has_role(membership, Role.EDITOR)
        ):
            return NotAllowed("Only an editor or the correction's author can withdraw it.")
    return None


def transitions_allowed(*, claim: Claim, membership: Membership | None) -> list[Transition]:
    """The transitions the member can take on the claim now, in lifecycle order."""
    verdict = current_verdict(claim=claim) if claim.status in {S.IN_REVIEW, S.APPROVED} | PUBLISHED_STATUSES else None
    draft = pending_correction(claim=claim) if claim.status in CORRECTION_STATUSES else None
    return [
        t
        for t in TRANSITIONS.values()
        if transition_refusal(claim=claim, membership=membership, action=t.action, verdict=verdict, draft=draft) is None
    ]
