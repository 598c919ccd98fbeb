"""Setting and clearing many claims' due dates at once: an editor planning the desk's work."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotations.access import ROLE_RANK
from annotations.errors import InvalidInput, NotAllowed
from annotations.models import Claim, ClaimStatus, Membership, Role, Team
from annotations.selectors.workflow import RECORD_STATUSES
from annotations.services.audit import audit_record, changed_fields

MAX_BULK_CLAIMS = 500
# A due date means work still ahead: a claim on the record or set aside has none to meet.
NO_DEADLINE_STATUSES = frozenset(RECORD_STATUSES | {ClaimStatus.NOT_CHECK_WORTHY})


@dataclass
class BulkDueResult:
    updated: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # finished work: a due date means nothing there
    changed: list[int] = field(default_factory=list)  # someone saved them after the editor's page was read


@transaction.atomic
def claims_bulk_set_due(
    *,
    team: Team,
    claim_ids: Sequence[int],
    due_at: datetime.datetime | None,
    user: User,
    versions: Mapping[int, int] | None = None,
) -> BulkDueResult:
    """Set (or, with `due_at` None, clear) the due date of many claims of `team` in one transaction.

    An editor's job, as a due date is on a single claim. Claims on the public record or set aside
    as not check-worthy are skipped when setting a date (clearing one is always possible). With
    `versions` (claim id: the version the editor read), a claim someone saved since is left
    alone and reported as changed. Ids outside the team are refused as a whole. Each claim that
    changes gets its version bumped and a "claim.update" audit event marked as bulk.
    """
    membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None or ROLE_RANK[Role(membership.role)] < ROLE_RANK[Role.EDITOR]:
        raise NotAllowed("Setting due dates needs the editor role.")
    if due_at is not None and (not isinstance(due_at, datetime.datetime) or timezone.is_naive(due_at)):
        raise InvalidInput("Enter a date and time with its time zone.", field="due_at")
    ids = sorted({int(i) for i in claim_ids})
    if not ids:
        raise InvalidInput("Select at least one claim.", field="claim_ids")
    if len(ids) > MAX_BULK_CLAIMS:
        raise InvalidInput(f"Change at most {MAX_BULK_CLAIMS} claims at once.", field="claim_ids")
    claims = list(Claim.objects.select_for_update().filter(team=team, pk__in=ids).order_by("pk"))
    if len(claims) != len(ids):
        raise InvalidInput("Some of the selected claims do not exist.", field="claim_ids")
    result = BulkDueResult()
    now = timezone.now()
    changed: list[Claim] = []
    events: list[tuple[Claim, dict[str, Any], dict[str, Any]]] = []
    for claim in claims:
        if versions is not None and versions.get(claim.pk) != claim.version:
            result.changed.append(claim.pk)
            continue
        if due_at is not None and claim.status in NO_DEADLINE_STATUSES:
            result.skipped.append(claim.pk)
            continue
        result.updated.append(claim.pk)
        before, after = changed_fields(claim, {"due_at": due_at})
        if not after:
            continue
        claim.due_at = due_at
        claim.version += 1
        claim.updated_at = now
        changed.append(claim)
        events.append((claim, before, after))
    Claim.objects.bulk_update(changed, ["due_at", "version", "updated_at"], batch_size=200)
    # One audit_record per claim (not a bulk insert), so receivers of new audit events see each change.
    for claim, before, after in events:
        audit_record(
            team=team,
            actor=user,
            action="claim.update",
            target=claim,
            claim=claim,
            before=before,
            after={**after, "bulk": True},
        )
    return result
