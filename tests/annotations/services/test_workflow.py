import datetime
import threading
import time
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.utils import timezone

from annotations.errors import Conflict, InvalidInput, NotAllowed
from annotations.matching.ranking import DEFAULT_THRESHOLD
from annotations.models import AuditEvent, Claim, ClaimStatus, Membership, Role, Verdict, WebhookDelivery, WebhookEvent
from annotations.selectors.workflow import PUBLISHED_STATUSES, TRANSITIONS, transitions_allowed
from annotations.services.webhooks import webhook_endpoint_create
from annotations.services.workflow import (
    ClaimConflict,
    claim_approve,
    claim_approve_correction,
    claim_assign,
    claim_delete,
    claim_link_duplicate,
    claim_mark_not_check_worthy,
    claim_propose,
    claim_propose_correction,
    claim_publish,
    claim_publish_correction,
    claim_reopen,
    claim_request_changes,
    claim_retract,
    claim_transition,
    claim_update,
    claim_withdraw_correction,
    claims_bulk_assign,
    team_similarity_threshold_set,
    team_workflow_update,
)
from tests.annotations.services.test_workflow_concurrency import (
    HOLD_SECONDS,
    first_holds_its_transaction,
    run_in_thread,
)
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory, rating

pytestmark = pytest.mark.django_db

S = ClaimStatus


@pytest.fixture(autouse=True)
def published_record_checked_at_once(request):
    """Check the "a published verdict stays current" trigger after each statement, not at commit
    (which these tests never reach), so that every service below is held to it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return  # committed transactions: the trigger runs at commit
    request.getfixturevalue("db")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS verdict_published_stays_current IMMEDIATE")


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
        claim = claim_publish(claim=claim, user=self.chief)
        if status == S.PUBLISHED:
            return claim
        if status == S.RETRACTED:
            return claim_retract(claim=claim, user=self.chief, note="The source was forged.")
        claim = claim_propose_correction(
            claim=claim, user=self.author, rating=rating(self.team, "Half true"), summary="Partly.", note="New data."
        )
        if status == S.CORRECTION_IN_REVIEW:
            return claim
        return claim_approve_correction(claim=claim, user=self.chief)

    def fields_for(self, action: str) -> dict[str, Any]:
        return {
            "assign": {"assignee": self.reviewer},
            "propose": {"rating": rating(self.team, "Half true"), "summary": "Partly."},
            "request_changes": {"note": "More sources."},
            "propose_correction": {
                "rating": rating(self.team, "Mostly false"),
                "summary": "Mostly not.",
                "note": "New data.",
            },
            "withdraw_correction": {"note": "The new data did not hold."},
            "retract": {"note": "The source was forged."},
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
    ("propose_correction", S.PUBLISHED, S.CORRECTION_IN_REVIEW, EVERYONE),
    ("approve_correction", S.CORRECTION_IN_REVIEW, S.CORRECTION_APPROVED, EDITORS),
    ("publish_correction", S.CORRECTION_APPROVED, S.PUBLISHED, EDITORS),
    # The correction's author may withdraw it too (test_the_author_may_withdraw_their_correction).
    ("withdraw_correction", S.CORRECTION_IN_REVIEW, S.PUBLISHED, EDITORS),
    ("withdraw_correction", S.CORRECTION_APPROVED, S.PUBLISHED, EDITORS),
    ("retract", S.PUBLISHED, S.RETRACTED, EDITORS),
    ("retract", S.CORRECTION_IN_REVIEW, S.RETRACTED, EDITORS),
    ("retract", S.CORRECTION_APPROVED, S.RETRACTED, EDITORS),
    ("not_check_worthy", S.NEW, S.NOT_CHECK_WORTHY, EVERYONE),
    ("not_check_worthy", S.IN_RESEARCH, S.NOT_CHECK_WORTHY, EVERYONE),
    ("not_check_worthy", S.IN_REVIEW, S.NOT_CHECK_WORTHY, EDITORS),
    ("not_check_worthy", S.APPROVED, S.NOT_CHECK_WORTHY, EDITORS),
    ("reopen", S.NOT_CHECK_WORTHY, S.NEW, EDITORS),
    ("reopen", S.RETRACTED, S.NEW, EDITORS),
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


def published_verdict(claim: Claim) -> Verdict:
    return Verdict.objects.get(claim=claim, is_current=True, published_at__isnull=False)


def test_a_correction_goes_through_review_while_the_published_verdict_stays_current(desk):
    webhook_endpoint_create(
        team=desk.team, user=desk.admin, url="https://hooks.example.org/fc", events=[WebhookEvent.VERDICT_CORRECTED]
    )
    claim = desk.claim_in(S.PUBLISHED)
    old = published_verdict(claim)

    claim = claim_propose_correction(
        claim=claim,
        user=desk.reviewer,
        rating=rating(desk.team, "Half true"),
        summary=" Partly. ",
        rationale="The budget was revised.",
        note=" New figures. ",
    )
    draft = Verdict.objects.get(claim=claim, corrects=old)
    assert claim.status == S.CORRECTION_IN_REVIEW
    assert not draft.is_current and draft.published_at is None and draft.approved_at is None
    assert draft.summary == "Partly." and draft.correction_note == "New figures." and draft.author == desk.reviewer
    assert published_verdict(claim) == old  # still current and public meanwhile
    assert AuditEvent.objects.filter(claim=claim, action="verdict.propose_correction", target_id=draft.pk).exists()

    claim = claim_approve_correction(claim=claim, user=desk.editor)
    draft.refresh_from_db()
    assert claim.status == S.CORRECTION_APPROVED and draft.approved_by == desk.editor and draft.approved_at
    assert published_verdict(claim) == old and not WebhookDelivery.objects.exists()

    claim = claim_publish_correction(claim=claim, user=desk.chief)
    draft.refresh_from_db()
    old.refresh_from_db()
    assert claim.status == S.PUBLISHED
    assert draft.is_current and draft.published_at is not None and published_verdict(claim) == draft
    assert not old.is_current and old.published_at is not None and old.retracted_at is None
    event = AuditEvent.objects.get(claim=claim, action="verdict.correct")
    assert event.before["verdict"] == old.pk and event.after == {
        "verdict": draft.pk,
        "rating": "Half true",
        "note": "New figures.",
    }
    [delivery] = WebhookDelivery.objects.filter(team=desk.team)
    assert delivery.event == "verdict.corrected" and delivery.payload["verdict"]["id"] == draft.pk
    assert delivery.payload["verdict"]["corrects"] == old.pk


def test_a_correction_needs_a_rating_a_summary_and_a_note(desk):
    claim = desk.claim_in(S.PUBLISHED)
    for fields, name in (
        ({"rating": None, "summary": "Partly.", "note": "New."}, "rating"),
        ({"rating": rating(desk.team, "True"), "summary": " ", "note": "New."}, "summary"),
        ({"rating": rating(desk.team, "True"), "summary": "Yes.", "note": " "}, "note"),
    ):
        with pytest.raises(InvalidInput) as info:
            claim_transition(claim=claim, user=desk.editor, action="propose_correction", **fields)
        assert info.value.field == name
    claim.refresh_from_db()
    assert claim.status == S.PUBLISHED and not Verdict.objects.filter(claim=claim, corrects__isnull=False).exists()


def test_the_corrections_author_cannot_approve_it_even_as_editor(desk):
    claim = desk.claim_in(S.PUBLISHED)
    claim = claim_propose_correction(
        claim=claim, user=desk.editor, rating=rating(desk.team, "True"), summary="Yes.", note="New data."
    )
    own = Membership.objects.get(team=desk.team, user=desk.editor)
    offered = {t.action for t in transitions_allowed(claim=claim, membership=own)}
    assert "approve_correction" not in offered and {"withdraw_correction", "retract"} <= offered
    with pytest.raises(NotAllowed, match="other than its author"):
        claim_approve_correction(claim=claim, user=desk.editor)
    with pytest.raises(Conflict, match="not possible while the claim is correction in review"):
        claim_publish_correction(claim=claim, user=desk.chief)  # not approved yet
    claim = claim_approve_correction(claim=claim, user=desk.chief)
    assert claim.status == S.CORRECTION_APPROVED


def test_the_author_may_withdraw_their_correction_and_it_is_never_published(desk):
    claim = desk.claim_in(S.CORRECTION_IN_REVIEW)  # proposed by desk.author, a reviewer
    old = published_verdict(claim)
    draft = Verdict.objects.get(claim=claim, corrects=old)
    author = Membership.objects.get(team=desk.team, user=desk.author)
    other_reviewer = Membership.objects.get(team=desk.team, user=desk.reviewer)
    assert "withdraw_correction" in {t.action for t in transitions_allowed(claim=claim, membership=author)}
    assert "withdraw_correction" not in {t.action for t in transitions_allowed(claim=claim, membership=other_reviewer)}
    with pytest.raises(NotAllowed, match="editor or the correction's author"):
        claim_withdraw_correction(claim=claim, user=desk.reviewer, note="No.")
    with pytest.raises(InvalidInput) as info:
        claim_withdraw_correction(claim=claim, user=desk.author, note=" ")
    assert info.value.field == "note"

    claim = claim_withdraw_correction(claim=claim, user=desk.author, note="The new data did not hold.")
    draft.refresh_from_db()
    assert claim.status == S.PUBLISHED and published_verdict(claim) == old
    assert draft.withdrawn_at is not None and draft.published_at is None and not draft.is_current
    event = AuditEvent.objects.get(claim=claim, action="claim.withdraw_correction")
    assert event.after["note"] == "The new data did not hold." and event.after["verdict"] == draft.pk
    with pytest.raises(Conflict):
        claim_publish_correction(claim=claim, user=desk.chief)

    # A new correction may be proposed; the withdrawn one stays in the history.
    claim = claim_propose_correction(
        claim=claim, user=desk.author, rating=rating(desk.team, "True"), summary="Yes.", note="Other data."
    )
    assert claim.status == S.CORRECTION_IN_REVIEW
    assert Verdict.objects.filter(claim=claim).count() == 3


def test_retracting_takes_the_verdict_down_and_withdraws_a_correction_under_way(desk):
    webhook_endpoint_create(
        team=desk.team, user=desk.admin, url="https://hooks.example.org/fc", events=[WebhookEvent.VERDICT_RETRACTED]
    )
    claim = desk.claim_in(S.CORRECTION_APPROVED)
    old = published_verdict(claim)
    draft = Verdict.objects.get(claim=claim, corrects=old)
    with pytest.raises(InvalidInput) as info:
        claim_retract(claim=claim, user=desk.editor, note="  ")
    assert info.value.field == "note"

    claim = claim_retract(claim=claim, user=desk.editor, note=" The source was forged. ")
    old.refresh_from_db()
    draft.refresh_from_db()
    assert claim.status == S.RETRACTED
    assert old.retracted_at is not None and old.retracted_by == desk.editor
    assert old.retraction_note == "The source was forged." and not old.is_current and old.published_at
    assert draft.withdrawn_at == old.retracted_at and draft.published_at is None
    assert not Verdict.objects.filter(claim=claim, is_current=True).exists()
    event = AuditEvent.objects.get(claim=claim, action="claim.retract")
    assert event.after == {
        "status": S.RETRACTED,
        "verdict": old.pk,
        "note": "The source was forged.",
        "withdrawn": draft.pk,
    }
    [delivery] = WebhookDelivery.objects.filter(team=desk.team)
    assert delivery.event == "verdict.retracted"
    assert delivery.payload["verdict"]["retraction_note"] == "The source was forged."
    assert delivery.payload["verdict"]["retracted_at"] == old.retracted_at.isoformat()
    assert "retracted_by" not in delivery.payload["verdict"]


def test_a_retracted_claim_can_be_reopened_and_a_later_publication_becomes_current(desk):
    claim = desk.claim_in(S.RETRACTED)
    retracted = Verdict.objects.get(claim=claim, retracted_at__isnull=False)
    for action in ("propose", "assign", "not_check_worthy", "propose_correction", "retract"):
        with pytest.raises(Conflict, match="reopen the claim"):
            claim_transition(claim=claim, user=desk.editor, action=action, **desk.fields_for(action))
    with pytest.raises(NotAllowed):
        claim_reopen(claim=claim, user=desk.reviewer)
    claim = claim_reopen(claim=claim, user=desk.editor)
    assert claim.status == S.NEW
    claim = claim_assign(claim=claim, user=desk.editor, assignee=desk.author)
    claim = claim_propose(claim=claim, user=desk.author, rating=rating(desk.team, "True"), summary="It was built.")
    claim = claim_publish(claim=claim_approve(claim=claim, user=desk.chief), user=desk.chief)
    current = published_verdict(claim)
    retracted.refresh_from_db()
    assert claim.status == S.PUBLISHED and current.summary == "It was built." and current.corrects is None
    assert retracted.retracted_at is not None and not retracted.is_current


REFUSED_ON_THE_RECORD = ("not_check_worthy", "reopen", "propose", "assign", "request_changes", "approve", "publish")


@pytest.mark.parametrize("status", sorted(PUBLISHED_STATUSES))
@pytest.mark.parametrize("action", REFUSED_ON_THE_RECORD)
def test_a_published_claim_refuses_every_other_step(desk, status, action):
    claim = desk.claim_in(status)
    version = claim.version
    with pytest.raises(Conflict, match="propose a correction or retract"):
        claim_transition(claim=claim, user=desk.admin, action=action, version=version, **desk.fields_for(action))
    claim.refresh_from_db()
    assert claim.status == status and claim.version == version
    admin = Membership.objects.get(team=desk.team, user=desk.admin)
    assert not {t.action for t in transitions_allowed(claim=claim, membership=admin)} & set(REFUSED_ON_THE_RECORD)


@pytest.mark.parametrize("status", [*sorted(PUBLISHED_STATUSES), S.RETRACTED])
def test_a_claim_on_the_record_keeps_its_wording_but_can_be_planned(desk, status):
    claim = desk.claim_in(status)
    for name, value in (
        ("restated", "Something else."),
        ("claimant", "Someone"),
        ("claim_date", datetime.date(2025, 1, 2)),
    ):
        with pytest.raises(Conflict, match=r"propose a correction or retract|reopen the claim"):
            claim_update(claim=claim, user=desk.editor, version=claim.version, **{name: value})
    claim.refresh_from_db()
    due = timezone.now() + datetime.timedelta(days=3)
    planned = claim_update(
        claim=claim, user=desk.editor, version=claim.version, priority=3, due_at=due, assignee=desk.reviewer
    )
    assert planned.status == status and planned.priority == 3 and planned.assignee == desk.reviewer
    # Sending the wording unchanged along with a planning field is not an edit of the wording.
    same = claim_update(claim=planned, user=desk.editor, version=planned.version, claimant="", priority=2)
    assert same.priority == 2


@pytest.mark.parametrize("status", [*sorted(PUBLISHED_STATUSES), S.RETRACTED])
def test_a_claim_on_the_record_cannot_be_deleted(desk, status):
    claim = desk.claim_in(status)
    with pytest.raises(Conflict):
        claim_delete(claim=claim, user=desk.admin)
    if status == S.RETRACTED:  # reopened, it is still on the record (its tombstone)
        claim = claim_reopen(claim=claim, user=desk.editor)
        with pytest.raises(Conflict, match="corrections log"):
            claim_delete(claim=claim, user=desk.admin)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_linking_a_published_claim_records_the_link_without_closing_it(desk):
    earlier = desk.claim_in(S.PUBLISHED)
    for status in sorted(PUBLISHED_STATUSES):
        claim = desk.claim_in(status)
        linked = claim_link_duplicate(claim=claim, earlier=earlier, user=desk.editor)
        assert linked.status == status and linked.duplicate_of == earlier and not linked.not_check_worthy_reason
        assert Verdict.objects.filter(claim=claim, is_current=True, published_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_a_correction_at_once_record_exactly_one(team, editor, reviewer):
    second_editor = MembershipFactory(team=team, user=UserFactory(username="sam"), role=Role.EDITOR).user
    third_editor = MembershipFactory(team=team, user=UserFactory(username="erin"), role=Role.EDITOR).user
    claim: Any = ClaimFactory(article=ArticleFactory(team=team))
    claim = claim_assign(claim=claim, user=editor, assignee=reviewer)
    claim = claim_propose(claim=claim, user=reviewer, rating=rating(team, "False"), summary="No.")
    claim = claim_publish(claim=claim_approve(claim=claim, user=editor), user=editor)
    old = Verdict.objects.get(claim=claim, is_current=True)
    claim = claim_propose_correction(
        claim=claim, user=reviewer, rating=rating(team, "Half true"), summary="Partly.", note="New data."
    )
    claim = claim_approve_correction(claim=claim, user=third_editor)
    draft = Verdict.objects.get(claim=claim, corrects=old)

    locked = threading.Event()
    outcome: dict[str, Any] = {}
    first = run_in_thread(
        first_holds_its_transaction(lambda: claim_publish_correction(claim=claim, user=editor), locked),
        outcome,
        "first",
    )
    assert locked.wait(10)
    started = time.monotonic()
    second = run_in_thread(lambda: claim_publish_correction(claim=claim, user=second_editor), outcome, "second")
    first.join(10)
    second.join(10)

    assert isinstance(outcome["first"], Claim) and outcome["first"].status == S.PUBLISHED
    assert isinstance(outcome["second"], Conflict) and not isinstance(outcome["second"], ClaimConflict)
    assert outcome["second_done"] - started >= HOLD_SECONDS * 0.5
    assert list(Verdict.objects.filter(corrects=old, published_at__isnull=False)) == [draft]
    assert Verdict.objects.get(claim=claim, is_current=True) == draft
    assert AuditEvent.objects.filter(claim=claim, action="claim.publish_correction").count() == 1
    assert AuditEvent.objects.filter(claim=claim, action="verdict.correct").count() == 1
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 1


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
    with pytest.raises(Conflict, match="propose a correction or retract"):
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


@pytest.mark.parametrize("threshold", [-0.1, 1.5, float("nan"), float("inf"), True, "0.5"])
def test_the_similarity_threshold_stays_from_0_to_1(desk, threshold):
    with pytest.raises(InvalidInput) as refused:
        team_similarity_threshold_set(team=desk.team, user=desk.admin, threshold=threshold)
    assert refused.value.field == "similarity_threshold"
    desk.team.refresh_from_db()
    assert desk.team.similarity_threshold == DEFAULT_THRESHOLD


def test_only_an_admin_sets_the_similarity_threshold(desk):
    with pytest.raises(NotAllowed):
        team_similarity_threshold_set(team=desk.team, user=desk.editor, threshold=0.7)
    assert team_similarity_threshold_set(team=desk.team, user=desk.admin, threshold=0.7).similarity_threshold == 0.7


def test_workflow_settings_change_together_or_not_at_all(desk):
    with pytest.raises(InvalidInput):
        team_workflow_update(team=desk.team, user=desk.admin, default_due_days=9, similarity_threshold=1.5)
    desk.team.refresh_from_db()
    assert (desk.team.default_due_days, desk.team.similarity_threshold) == (3, DEFAULT_THRESHOLD)
    assert not AuditEvent.objects.filter(team=desk.team, action__startswith="team.").exists()
    team_workflow_update(team=desk.team, user=desk.admin, default_due_days=9, similarity_threshold=0.25)
    desk.team.refresh_from_db()
    assert (desk.team.default_due_days, desk.team.similarity_threshold) == (9, 0.25)
