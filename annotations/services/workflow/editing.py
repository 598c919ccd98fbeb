"""Editing a claim's fields under optimistic locking, deleting, linking duplicates, bulk assignment."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotations.access import ROLE_RANK
from annotations.errors import Conflict, InvalidInput, NotAllowed
from annotations.models import AuditEvent, Claim, ClaimantKind, ClaimStatus, Membership, Priority, Role, Team, Verdict
from annotations.selectors.workflow import (
    OPEN_STATUSES,
    PUBLISHED_STATUSES,
    RECORD_STATUSES,
    REVIEWER_NOT_CHECK_WORTHY_FROM,
    TRANSITIONS,
)
from annotations.services.audit import audit_record, changed_fields
from annotations.services.embeddings import claims_embedding_due
from annotations.services.evidence import sources_evidence_out_of_date
from annotations.services.workflow.locking import (
    ClaimConflict,
    check_version,
    claim_lock,
    claim_save_audited,
    require_member,
)

__all__ = [
    "BulkAssignResult",
    "ClaimConflict",
    "claim_delete",
    "claim_link_duplicate",
    "claim_update",
    "claims_bulk_assign",
]

EDITABLE_FIELDS = ("restated", "claimant", "claimant_kind", "claim_date", "priority", "due_at", "assignee")
EDITOR_FIELDS = frozenset({"priority", "due_at", "assignee"})
# Public with the verdict (the ClaimReview names them): fixed once the claim is on the record.
WORDING_FIELDS = frozenset({"restated", "claimant", "claimant_kind", "claim_date"})


def _is_editor(membership: Membership) -> bool:
    return ROLE_RANK[Role(membership.role)] >= ROLE_RANK[Role.EDITOR]


def _clean(claim: Claim, name: str, value: Any) -> Any:
    if name in ("restated", "claimant"):
        if not isinstance(value, str):
            raise InvalidInput("Enter text.", field=name)
        value = value.strip()
        if name == "claimant" and len(value) > 300:
            raise InvalidInput("At most 300 characters.", field=name)
        return value
    if name == "claimant_kind":
        if value not in ClaimantKind.values:
            raise InvalidInput(f"claimant_kind is one of {', '.join(ClaimantKind.values)}.", field=name)
        return value
    if name == "claim_date":
        if value is not None and (not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)):
            raise InvalidInput("Enter a date.", field=name)
        return value
    if name == "priority":
        if value not in Priority.values:
            raise InvalidInput(f"Priority must be one of {', '.join(map(str, Priority.values))}.", field=name)
        return int(value)
    if name == "due_at":
        if value is not None and (not isinstance(value, datetime.datetime) or timezone.is_naive(value)):
            raise InvalidInput("Enter a date and time with its time zone.", field=name)
        return value
    # assignee
    if value is not None and not Membership.objects.filter(team_id=claim.team_id, user=value).exists():
        raise InvalidInput("The assignee must be a member of the team.", field=name)
    return value


@transaction.atomic
def claim_update(*, claim: Claim, user: User, version: int, **fields: Any) -> Claim:
    """Change a claim's editable fields: restated, claimant, claimant_kind, claim_date, priority, due_at,
    assignee. A new restated wording records who wrote it and when, and has the evidence of the
    claim's sources found again.

    `version` is the version the caller read. If someone saved in between, nothing is written and
    ClaimConflict carries the claim as it is now and the other person's change. Any member edits
    the wording; priority, due date and assignee are an editor's. Assigning a new claim sends it
    into research with the team's default due date, as the "assign" transition does.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(f"{name} cannot be changed here.", field=name)
    claim = claim_lock(claim=claim)
    membership = require_member(claim=claim, user=user)
    if EDITOR_FIELDS & set(fields) and not _is_editor(membership):
        raise NotAllowed("Changing the priority, due date or assignee needs the editor role.")
    check_version(claim=claim, version=version)
    values = {name: _clean(claim, name, value) for name, value in fields.items()}
    if claim.status in RECORD_STATUSES and any(
        getattr(claim, name) != values[name] for name in WORDING_FIELDS & set(values)
    ):
        if claim.status == ClaimStatus.RETRACTED:
            raise Conflict("The claim's verdict was retracted: reopen the claim to edit its wording.")
        raise Conflict(
            "The claim's wording is published with its verdict and cannot be edited: "
            "propose a correction or retract it."
        )
    if "assignee" in values:
        values["assignee_id"] = values.pop("assignee")
        values["assignee_id"] = values["assignee_id"].pk if values["assignee_id"] is not None else None
        if values["assignee_id"] is not None and claim.status == ClaimStatus.NEW:
            values["status"] = TRANSITIONS["assign"].target
            if claim.due_at is None and "due_at" not in values:
                values["due_at"] = timezone.now() + datetime.timedelta(days=claim.team.default_due_days)
    before, after = changed_fields(claim, values)
    if not after:
        return claim
    if "restated" in after:
        values["restated_by"] = user
        values["restated_at"] = timezone.now()
    for name, value in values.items():
        setattr(claim, name, value)
    saved = claim_save_audited(
        claim=claim,
        user=user,
        action="claim.update",
        fields=list(values),
        before={k.removesuffix("_id"): v for k, v in before.items()},
        after={k.removesuffix("_id"): v for k, v in after.items()},
    )
    if "restated" in after:
        sources_evidence_out_of_date(sources=claim.sources.all())
        claims_embedding_due([saved])
    return saved


@transaction.atomic
def claim_delete(*, claim: Claim, user: User, version: int | None = None) -> None:
    """Delete a claim and its verdicts, sources and comments.

    Editors may delete any claim never published; a reviewer only a new claim they marked
    themselves. A claim whose verdict was ever published stays on the record (corrections log).
    """
    claim = claim_lock(claim=claim)
    membership = require_member(claim=claim, user=user)
    if not _is_editor(membership) and not (claim.created_by_id == user.pk and claim.status == ClaimStatus.NEW):
        raise NotAllowed("Deleting this claim needs the editor role.")
    check_version(claim=claim, version=version)
    if claim.status in PUBLISHED_STATUSES:
        raise Conflict("A claim with a published verdict cannot be deleted: propose a correction or retract it.")
    if Verdict.objects.filter(claim=claim, published_at__isnull=False).exists():
        raise Conflict(
            "This claim's verdict was published and stays in the public corrections log: it cannot be deleted."
        )
    audit_record(
        team=claim.team,
        actor=user,
        action="claim.delete",
        target=claim,
        before={"exact": claim.exact, "article": claim.article_id, "status": claim.status},
    )
    claim.delete()


@transaction.atomic
def claim_link_duplicate(*, claim: Claim, earlier: Claim, user: User, version: int | None = None) -> Claim:
    """Link a claim to an earlier, already-checked claim of the same team instead of checking it again.

    Links to the earlier claim's own original if it is a duplicate itself. A claim still open
    (new, in research, changes requested) is closed as not check-worthy with the link as reason;
    any other claim, a published one above all, keeps its status: only the link is recorded.
    """
    claim = claim_lock(claim=claim)
    membership = require_member(claim=claim, user=user)
    check_version(claim=claim, version=version)
    if earlier.team_id != claim.team_id:
        raise InvalidInput("The earlier claim is not in this team.", field="earlier")
    original: Claim = earlier.duplicate_of or earlier
    if original.pk == claim.pk or (original.duplicate_of_id == claim.pk):
        raise InvalidInput("A claim cannot be a duplicate of itself.", field="earlier")
    values: dict[str, Any] = {"duplicate_of_id": original.pk}
    if claim.status in OPEN_STATUSES:
        if claim.status not in REVIEWER_NOT_CHECK_WORTHY_FROM and not _is_editor(membership):
            raise NotAllowed("Closing this claim needs the editor role.")
        values["status"] = ClaimStatus.NOT_CHECK_WORTHY
        values["not_check_worthy_reason"] = f"Already checked: claim #{original.pk}."
    before, after = changed_fields(claim, values)
    for name, value in values.items():
        setattr(claim, name, value)
    return claim_save_audited(
        claim=claim,
        user=user,
        action="claim.link_duplicate",
        fields=list(values),
        before={k.removesuffix("_id"): v for k, v in before.items()},
        after={k.removesuffix("_id"): v for k, v in after.items()},
    )


@dataclass
class BulkAssignResult:
    assigned: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)  # someone saved them after the editor's page was read


@transaction.atomic
def claims_bulk_assign(
    *,
    team: Team,
    claim_ids: Sequence[int],
    assignee: User,
    user: User,
    versions: Mapping[int, int] | None = None,
) -> BulkAssignResult:
    """Assign many claims at once (an editor's job), as the "assign" transition would one by one.

    Claims that cannot be assigned in their state (in review, approved, published, not
    check-worthy) are skipped and reported. With `versions` (claim id: the version the editor
    read), a claim someone saved since is left alone and reported as changed. Ids outside the
    team are refused as a whole.
    """
    membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None or not _is_editor(membership):
        raise NotAllowed("Assigning claims needs the editor role.")
    ids = sorted({int(i) for i in claim_ids})
    if not ids:
        raise InvalidInput("Select at least one claim.", field="claim_ids")
    if len(ids) > 500:
        raise InvalidInput("Assign at most 500 claims at once.", field="claim_ids")
    if not Membership.objects.filter(team=team, user=assignee).exists():
        raise InvalidInput("The assignee must be a member of the team.", field="assignee")
    claims = list(Claim.objects.select_for_update().filter(team=team, pk__in=ids).order_by("pk"))
    if len(claims) != len(ids):
        raise InvalidInput("Some of the selected claims do not exist.", field="claim_ids")
    result = BulkAssignResult()
    now = timezone.now()
    due = now + datetime.timedelta(days=team.default_due_days)
    changed: list[Claim] = []
    events: list[AuditEvent] = []
    for claim in claims:
        if versions is not None and versions.get(claim.pk) != claim.version:
            result.changed.append(claim.pk)
            continue
        if claim.status not in TRANSITIONS["assign"].sources:
            result.skipped.append(claim.pk)
            continue
        values: dict[str, Any] = {"assignee_id": assignee.pk, "status": TRANSITIONS["assign"].target}
        if claim.due_at is None:
            values["due_at"] = due
        before, after = changed_fields(claim, values)
        result.assigned.append(claim.pk)
        if not after:
            continue
        for name, value in values.items():
            setattr(claim, name, value)
        claim.version += 1
        claim.updated_at = now
        changed.append(claim)
        events.append(
            AuditEvent(
                team=team,
                actor=user,
                action="claim.assign",
                target_type="claim",
                target_id=claim.pk,
                claim=claim,
                before={k.removesuffix("_id"): v for k, v in before.items()},
                after={**{k.removesuffix("_id"): v for k, v in after.items()}, "bulk": True},
            )
        )
    Claim.objects.bulk_update(changed, ["assignee_id", "status", "due_at", "version", "updated_at"], batch_size=200)
    AuditEvent.objects.bulk_create(events, batch_size=200)
    return result
