import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotAllowed
from annotations.models import AuditEvent, Claim, ClaimStatus, Membership, Role, Verdict
from annotations.selectors.workflow import TRANSITIONS, transitions_allowed
from annotations.services.workflow import (
    ClaimConflict,
    claim_approve,
    claim_assign,
    claim_correct,
    claim_delete,
    claim_link_duplicate,
    claim_mark_not_check_worthy,
    claim_propose,
    claim_publish,
    claim_request_changes,
    claim_transition,
    claim_update,
    claims_bulk_assign,
)
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory, rating

pytestmark = pytest.mark.django_db

S = ClaimStatus


@dataclass
class Desk:
    """A team with one member of each role, plus the people who set claims up."""

    team: Any
    reviewer: Any
    editor: Any
    admin: Any
    outsider: Any
    author: Any  # a reviewer who proposes the verdicts in the setup
    chief: Any  # an editor who approves and publishes in the setup

    def claim_in(self, status: str) -> Claim:
        claim: Any = ClaimFactory(article=ArticleFactory(team=self.team))
        if status == S.NEW:
            return claim
        if status == S.NOT_CHECK_WORTHY:
            return claim_mark_not_check_worthy(claim=claim, user=self.chief, reason="Opinion.")
        claim = claim_assign(claim=claim, user=self.chief, assignee=self.author)
        if status == S.IN_RESEARCH:
            return claim
        claim = claim_propose(claim=claim, user=self.author, rating=rating(self.team, "False"), summary="No.")
        if status == S.IN_REVIEW:
            return claim
        if status == S.CHANGES_REQUESTED:
            return claim_request_changes(claim=claim, user=self.chief, note="Cite the budget.")
        claim = claim_approve(claim=claim, user=self.chief)
        if status == S.APPROVED:
            return claim
        return claim_publish(claim=claim, user=self.chief)

    def fields_for(self, action: str) -> dict[str, Any]:
        return {
            "assign": {"assignee": self.reviewer},
            "propose": {"rating": rating(self.team, "Half true"), "summary": "Partly."},
            "request_changes": {"note": "More sources."},
            "correct": {"rating": rating(self.team, "Mostly false"), "summary": "Mostly not.", "note": "New data."},
            "not_check_worthy": {"reason": "An opinion."},
        }.get(action, {})


@pytest.fixture
def desk(team, reviewer, editor, outsider) -> Desk:
    def member(name: str, role: str) -> Any:
        return MembershipFactory(team=team, user=UserFactory(username=name), role=role).user

    return Desk(
        team=team,
        reviewer=reviewer,
        editor=editor,
        admin=member("ada", Role.ADMIN),
        outsider=outsider,
        author=member("aurora", Role.REVIEWER),
        chief=member("sam", Role.EDITOR),
    )


ROLES = ("reviewer", "editor", "admin", "outsider")
EDITORS = {"editor", "admin"}
EVERYONE = {"reviewer", "editor", "admin"}

# (action, the claim's status before, the status after, the roles allowed)
MATRIX = [
    ("assign", S.NEW, S.IN_RESEARCH, EDITORS),
    ("assign", S.CHANGES_REQUESTED, S.IN_RESEARCH, EDITORS),
    ("propose", S.IN_RESEARCH, S.IN_REVIEW, EVERYONE),
    ("request_changes", S.IN_REVIEW, S.CHANGES_REQUESTED, EDITORS),
    ("resume", S.CHANGES_REQUESTED, S.IN_RESEARCH, EVERYONE),
    ("approve", S.IN_REVIEW, S.APPROVED, EDITORS),
    ("publish", S.APPROVED, S.PUBLISHED, EDITORS),
    ("correct", S.PUBLISHED, S.PUBLISHED, EDITORS),
    ("not_check_worthy", S.NEW, S.NOT_CHECK_WORTHY, EVERYONE),
    ("not_check_worthy", S.IN_RESEARCH, S.NOT_CHECK_WORTHY, EVERYONE),
    ("not_check_worthy", S.IN_REVIEW, S.NOT_CHECK_WORTHY, EDITORS),
    ("not_check_worthy", S.PUBLISHED, S.NOT_CHECK_WORTHY, EDITORS),
    ("reopen", S.NOT_CHECK_WORTHY, S.NEW, EDITORS),
]


def test_the_matrix_covers_every_transition():
    assert {row[0] for row in MATRIX} == set(TRANSITIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "before", "after", "allowed"), MATRIX, ids=lambda v: str(v))
def test_role_against_transition(desk, role, action, before, after, allowed):
    user = getattr(desk, role)
    claim = desk.claim_in(before)
    version = claim.version
    events = AuditEvent.objects.filter(claim=claim).count()
    membership = Membership.objects.filter(team=desk.team, user=user).first()
    offered = {t.action for t in transitions_allowed(claim=claim, membership=membership)}

    if role in allowed:
        assert action in offered
        result = claim_transition(claim=claim, user=user, action=action, version=version, **desk.fields_for(action))
        result.refresh_from_db()
        assert result.status == after
        assert result.version == version + 1
        event = AuditEvent.objects.filter(claim=claim, action=f"claim.{action}").latest("id")
        assert event.actor == user
        if before != after:
            assert event.before["status"] == before and event.after["status"] == after
    else:
        assert action not in offered
        with pytest.raises(NotAllowed):
            claim_transition(claim=claim, user=user, action=action, version=version, **desk.fields_for(action))
        claim.refresh_from_db()
        assert claim.status == before and claim.version == version
        assert AuditEvent.objects.filter(claim=claim).count() == events


def test_a_transition_from_the_wrong_state_is_a_conflict(desk):
    claim = desk.claim_in(S.NEW)
    with pytest.raises(Conflict, match="not possible while the claim is new"):
        claim_approve(claim=claim, user=desk.editor)
    with pytest.raises(Conflict):
        claim_publish(claim=desk.claim_in(S.IN_REVIEW), user=desk.editor)


def test_the_verdicts_author_cannot_approve_it_even_as_editor(desk):
    claim = claim_assign(claim=desk.claim_in(S.NEW), user=desk.chief, assignee=desk.editor)
    claim = claim_propose(claim=claim, user=desk.editor, rating=rating(desk.team, "True"), summary="Yes.")
    editor_membership = Membership.objects.get(team=desk.team, user=desk.editor)
    assert "approve" not in {t.action for t in transitions_allowed(claim=claim, membership=editor_membership)}
    with pytest.raises(NotAllowed, match="other than its author"):
        claim_approve(claim=claim, user=desk.editor)
    approved = claim_approve(claim=claim, user=desk.chief)
    verdict = Verdict.objects.get(claim=claim, is_current=True)
    assert approved.status == S.APPROVED and verdict.approved_by == desk.chief and verdict.approved_at is not None


def test_assigning_sets_the_due_date_from_the_team_default_once(desk):
    desk.team.default_due_days = 5
    desk.team.save()
    before = timezone.now()
    claim = claim_assign(claim=desk.claim_in(S.NEW), user=desk.editor, assignee=desk.reviewer)
    assert claim.assignee == desk.reviewer
    assert before + datetime.timedelta(days=5) <= claim.due_at <= timezone.now() + datetime.timedelta(days=5)
    due = claim.due_at
    claim = claim_assign(claim=claim, user=desk.editor, assignee=desk.author)
    assert claim.due_at == due and claim.assignee == desk.author


def test_the_assignee_must_be_a_team_member(desk):
    with pytest.raises(InvalidInput) as info:
        claim_assign(claim=desk.claim_in(S.NEW), user=desk.editor, assignee=desk.outsider)
    assert info.value.field == "assignee"


def test_missing_inputs_name_their_field(desk):
    with pytest.raises(InvalidInput) as info:
        claim_request_changes(claim=desk.claim_in(S.IN_REVIEW), user=desk.editor, note=" ")
    assert info.value.field == "note"
    with pytest.raises(InvalidInput) as info:
        claim_transition(claim=desk.claim_in(S.IN_RESEARCH), user=desk.reviewer, action="propose", summary="x")
    assert info.value.field == "rating"
    with pytest.raises(InvalidInput) as info:
        claim_transition(claim=desk.claim_in(S.NEW), user=desk.reviewer, action="not_check_worthy")
    assert info.value.field == "reason"
    with pytest.raises(InvalidInput) as info:
        claim_transition(claim=desk.claim_in(S.NEW), user=desk.reviewer, action="fly")
    assert info.value.field == "action"


def test_publishing_stamps_the_verdict(desk):
    claim = claim_publish(claim=desk.claim_in(S.APPROVED), user=desk.editor)
    verdict = Verdict.objects.get(claim=claim, is_current=True)
    assert claim.status == S.PUBLISHED and verdict.published_at is not None


def test_a_correction_is_a_new_verdict_and_the_old_one_stays_visible(desk):
    claim = desk.claim_in(S.PUBLISHED)
    old = Verdict.objects.get(claim=claim, is_current=True)
    claim = claim_correct(
        claim=claim, user=desk.editor, rating=rating(desk.team, "Half true"), summary="Partly.", note="New figures."
    )
    new = Verdict.objects.get(claim=claim, is_current=True)
    old.refresh_from_db()
    assert claim.status == S.PUBLISHED
    assert new.corrects == old and new.correction_note == "New figures." and new.published_at is not None
    assert not old.is_current and old.published_at is not None
    assert AuditEvent.objects.filter(claim=claim, action="verdict.correct", target_id=new.pk).exists()
    with pytest.raises(InvalidInput) as info:
        claim_correct(claim=claim, user=desk.editor, rating=rating(desk.team, "True"), summary="Yes.", note="")
    assert info.value.field == "note"


def test_a_stale_version_on_a_transition_is_refused(desk):
    claim = desk.claim_in(S.IN_REVIEW)
    with pytest.raises(ClaimConflict) as info:
        claim_approve(claim=claim, user=desk.editor, version=claim.version - 1)
    assert info.value.current.version == claim.version
    assert Claim.objects.get(pk=claim.pk).status == S.IN_REVIEW


def test_claim_update_changes_fields_and_bumps_the_version(desk):
    claim = desk.claim_in(S.IN_RESEARCH)
    updated = claim_update(
        claim=claim, user=desk.editor, version=claim.version, restated="The wall costs €48m.", priority=3
    )
    assert updated.version == claim.version + 1 and updated.priority == 3
    event = AuditEvent.objects.filter(claim=claim, action="claim.update").get()
    assert event.before == {"restated": "", "priority": 1}
    assert event.after == {"restated": "The wall costs €48m.", "priority": 3}
    same = claim_update(claim=updated, user=desk.editor, version=updated.version, priority=3)
    assert same.version == updated.version


def test_a_stale_edit_gets_the_other_persons_change(desk):
    claim = desk.claim_in(S.IN_RESEARCH)
    read = claim.version
    claim_update(claim=claim, user=desk.editor, version=read, claimant="Mayor Okafor")
    with pytest.raises(ClaimConflict) as info:
        claim_update(claim=claim, user=desk.reviewer, version=read, claimant="The council")
    conflict = info.value
    assert conflict.current.claimant == "Mayor Okafor" and conflict.current.version == read + 1
    assert conflict.last_change is not None
    assert conflict.last_change["by"]["username"] == desk.editor.username
    assert conflict.last_change["after"] == {"claimant": "Mayor Okafor"}
    assert "eddie changed claimant" in conflict.message
    assert Claim.objects.get(pk=claim.pk).claimant == "Mayor Okafor"


def test_claim_update_checks_roles_and_inputs(desk):
    claim = desk.claim_in(S.NEW)
    with pytest.raises(NotAllowed):
        claim_update(claim=claim, user=desk.reviewer, version=claim.version, priority=3)
    with pytest.raises(NotAllowed):
        claim_update(claim=claim, user=desk.outsider, version=claim.version, restated="x")
    with pytest.raises(InvalidInput) as info:
        claim_update(claim=claim, user=desk.editor, version=claim.version, status="published")
    assert info.value.field == "status"
    with pytest.raises(InvalidInput) as info:
        claim_update(claim=claim, user=desk.editor, version=claim.version, priority=9)
    assert info.value.field == "priority"
    with pytest.raises(InvalidInput) as info:
        claim_update(claim=claim, user=desk.editor, version=claim.version, assignee=desk.outsider)
    assert info.value.field == "assignee"
    assigned = claim_update(claim=claim, user=desk.editor, version=claim.version, assignee=desk.reviewer)
    assert assigned.status == S.IN_RESEARCH and assigned.due_at is not None


def test_claim_delete(desk):
    own = ClaimFactory(article=ArticleFactory(team=desk.team))
    Claim.objects.filter(pk=own.pk).update(created_by=desk.reviewer)
    claim_delete(claim=own, user=desk.reviewer)
    assert not Claim.objects.filter(pk=own.pk).exists()
    assert AuditEvent.objects.filter(action="claim.delete", target_id=own.pk).exists()
    with pytest.raises(NotAllowed):
        claim_delete(claim=desk.claim_in(S.NEW), user=desk.reviewer)
    with pytest.raises(Conflict):
        claim_delete(claim=desk.claim_in(S.PUBLISHED), user=desk.editor)
    reviewed = desk.claim_in(S.IN_REVIEW)
    claim_delete(claim=reviewed, user=desk.editor)
    assert not Claim.objects.filter(pk=reviewed.pk).exists()


def test_linking_an_already_checked_claim_closes_the_new_one(desk):
    earlier = desk.claim_in(S.PUBLISHED)
    claim = desk.claim_in(S.NEW)
    linked = claim_link_duplicate(claim=claim, earlier=earlier, user=desk.reviewer)
    assert linked.duplicate_of == earlier and linked.status == S.NOT_CHECK_WORTHY
    assert f"#{earlier.pk}" in linked.not_check_worthy_reason
    # Linking to a duplicate links to its original.
    third = desk.claim_in(S.NEW)
    assert claim_link_duplicate(claim=third, earlier=linked, user=desk.reviewer).duplicate_of == earlier
    with pytest.raises(InvalidInput):
        claim_link_duplicate(claim=earlier, earlier=earlier, user=desk.editor)
    other = ClaimFactory(article=ArticleFactory(team=TeamFactory()))
    with pytest.raises(InvalidInput) as info:
        claim_link_duplicate(claim=desk.claim_in(S.NEW), earlier=other, user=desk.editor)
    assert info.value.field == "earlier"


def test_bulk_assign(desk):
    fresh = [desk.claim_in(S.NEW) for _ in range(3)]
    in_review = desk.claim_in(S.IN_REVIEW)
    result = claims_bulk_assign(
        team=desk.team, claim_ids=[c.pk for c in [*fresh, in_review]], assignee=desk.reviewer, user=desk.editor
    )
    assert sorted(result.assigned) == sorted(c.pk for c in fresh) and result.skipped == [in_review.pk]
    for claim in fresh:
        claim.refresh_from_db()
        assert claim.assignee == desk.reviewer and claim.status == S.IN_RESEARCH and claim.due_at is not None
        assert claim.version == 2
        assert AuditEvent.objects.filter(claim=claim, action="claim.assign", actor=desk.editor).exists()
    with pytest.raises(NotAllowed):
        claims_bulk_assign(team=desk.team, claim_ids=[fresh[0].pk], assignee=desk.reviewer, user=desk.reviewer)
    other = ClaimFactory(article=ArticleFactory(team=TeamFactory()))
    with pytest.raises(InvalidInput) as info:
        claims_bulk_assign(team=desk.team, claim_ids=[other.pk], assignee=desk.reviewer, user=desk.editor)
    assert info.value.field == "claim_ids"
    assert Claim.objects.get(pk=other.pk).assignee is None


def test_services_do_not_leak_another_teams_claim_through_access(desk):
    from annotations.access import claim_for_user

    claim = desk.claim_in(S.NEW)
    with pytest.raises(Http404):
        claim_for_user(user=desk.outsider, claim_id=claim.pk)
