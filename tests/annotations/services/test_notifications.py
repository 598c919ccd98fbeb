from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from annotations.models import AuditEvent, Claim, Membership, Notification, NotificationKind, Role, Team
from annotations.services.comments import comment_add
from annotations.services.notifications import (
    notification_email_send,
    notification_mark_read,
    notification_preferences_set,
    notifications_due,
    notifications_from_event,
    notifications_mark_all_read,
    notifications_sweep,
)
from annotations.services.workflow import (
    claim_approve,
    claim_assign,
    claim_propose,
    claim_publish,
    claim_request_changes,
    claim_resume,
    claims_bulk_assign,
)
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, UserFactory, correct_claim, rating

pytestmark = pytest.mark.django_db
K = NotificationKind


def handle(claim: Claim, action: str) -> list[Notification]:
    """Run the worker's part for the claim's latest `action` event."""
    event = AuditEvent.objects.filter(claim=claim, action=action).order_by("-pk").first()
    assert event is not None, action
    return notifications_from_event(event_id=event.pk)


@pytest.fixture
def claim(team: Team) -> Claim:
    return ClaimFactory.create(article=ArticleFactory(team=team), exact="flood wall")


@pytest.fixture
def rita(reviewer: Any) -> Any:
    reviewer.email = "rita@example.org"
    reviewer.save()
    return reviewer


def test_the_assignee_is_told_in_the_app_and_by_email(claim: Claim, rita: Any, editor: Any) -> None:
    claim_assign(claim=claim, user=editor, assignee=rita)
    [notification] = handle(claim, "claim.assign")
    assert notification.recipient == rita and notification.kind == K.ASSIGNED
    assert notification.actor == editor and notification.team_id == claim.team_id
    assert notification.summary == "eddie assigned you the claim “flood wall”."
    assert notification.link == f"/articles/{claim.article_id}/#claim-{claim.pk}"
    assert notification.in_app and notification.email_wanted and notification.read_at is None
    assert notification_email_send(notification_id=notification.pk)
    [email] = mail.outbox
    assert email.to == ["rita@example.org"]
    assert f"http://127.0.0.1:8000/articles/{claim.article_id}/#claim-{claim.pk}" in email.body
    # Sent once: a second send (a rerun, a second worker) does nothing.
    assert not notification_email_send(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_an_event_is_turned_into_notifications_once(claim: Claim, rita: Any, editor: Any) -> None:
    claim_assign(claim=claim, user=editor, assignee=rita)
    assert len(handle(claim, "claim.assign")) == 1
    assert handle(claim, "claim.assign") == []
    assert Notification.objects.count() == 1


def test_nobody_is_told_of_their_own_action(claim: Claim, editor: Any) -> None:
    claim_assign(claim=claim, user=editor, assignee=editor)
    assert handle(claim, "claim.assign") == []


def test_the_verdict_moves_tell_its_author(claim: Claim, rita: Any, editor: Any, team: Team) -> None:
    claim = claim_assign(claim=claim, user=editor, assignee=rita)
    claim = claim_propose(claim=claim, user=rita, rating=rating(team, "False"), summary="No.")
    claim = claim_request_changes(claim=claim, user=editor, note="Cite the <tender>.")
    [changes] = handle(claim, "claim.request_changes")
    assert changes.recipient == rita and changes.kind == K.CHANGES_REQUESTED
    assert changes.summary.endswith("Cite the <tender>.")
    claim = claim_resume(claim=claim, user=rita)
    claim = claim_propose(claim=claim, user=rita, rating=rating(team, "False"), summary="No, see the tender.")
    claim = claim_approve(claim=claim, user=editor)
    [approved] = handle(claim, "claim.approve")
    assert (approved.recipient, approved.kind, approved.email_wanted) == (rita, K.APPROVED, False)
    claim = claim_publish(claim=claim, user=editor)
    [published] = handle(claim, "claim.publish")
    assert (published.recipient, published.kind) == (rita, K.PUBLISHED)
    # The html email escapes the user's text; the plain text keeps it as written.
    notification_email_send(notification_id=changes.pk)
    [email] = mail.outbox
    html = email.alternatives[0][0]
    assert "Cite the &lt;tender&gt;." in html and "<tender>" not in html
    assert "Cite the <tender>." in email.body


def test_a_correction_tells_everyone_who_worked_on_the_claim_but_its_publisher(
    claim: Claim, rita: Any, editor: Any, team: Team
) -> None:
    second = MembershipFactory(team=team, user=UserFactory(username="erin"), role=Role.EDITOR).user
    from tests.factories import publish_claim

    claim = publish_claim(claim, reviewer=rita, editor=editor)
    claim = correct_claim(claim, reviewer=rita, editor=second, label="Half true", summary="€44m.", note="New tender.")
    told = handle(claim, "verdict.correct")
    assert {(n.recipient.username, n.kind) for n in told} == {("rita", K.CORRECTION), ("eddie", K.CORRECTION)}
    assert all("New tender." in n.summary for n in told)


def test_mentions_tell_team_members_once(claim: Claim, rita: Any, editor: Any, outsider: Any) -> None:
    comment_add(claim=claim, user=editor, body="@rita, @olga and @eddie: see this. Again @Rita!")
    [mention] = handle(claim, "comment.add")
    assert (mention.recipient, mention.kind) == (rita, K.MENTION)
    assert mention.summary == "eddie mentioned you in a comment on “flood wall”."


def test_a_former_member_is_not_told(claim: Claim, rita: Any, editor: Any) -> None:
    claim_assign(claim=claim, user=editor, assignee=rita)
    Membership.objects.filter(user=rita).delete()
    assert handle(claim, "claim.assign") == []


def test_preferences_decide_where_it_goes(claim: Claim, rita: Any, editor: Any) -> None:
    notification_preferences_set(user=rita, choices={"assigned": {"in_app": False, "email": True}})
    claim_assign(claim=claim, user=editor, assignee=rita)
    [notification] = handle(claim, "claim.assign")
    assert not notification.in_app and notification.email_wanted
    notification_preferences_set(user=rita, choices={"mention": {"in_app": False, "email": False}})
    comment_add(claim=claim, user=editor, body="@rita")
    assert handle(claim, "comment.add") == []


def test_due_claims_tell_their_assignee_once_per_due_date(claim: Claim, rita: Any, editor: Any) -> None:
    now = timezone.now()
    claim = claim_assign(claim=claim, user=editor, assignee=rita)
    Claim.objects.filter(pk=claim.pk).update(due_at=now + datetime.timedelta(days=3))
    assert notifications_due(now=now) == []
    Claim.objects.filter(pk=claim.pk).update(due_at=now + datetime.timedelta(hours=3))
    [soon] = notifications_due(now=now)
    assert soon.kind == K.DUE and soon.recipient == rita and "is due" in soon.summary
    assert notifications_due(now=now + datetime.timedelta(hours=5)) == []  # overdue now, same due date
    Claim.objects.filter(pk=claim.pk).update(due_at=now - datetime.timedelta(hours=1))
    [overdue] = notifications_due(now=now)
    assert "overdue" in overdue.summary
    assert Notification.objects.filter(kind=K.DUE).count() == 2


def test_the_due_constraint_refuses_a_second_notice(claim: Claim, rita: Any) -> None:
    from django.db import IntegrityError, transaction

    due = timezone.now()
    row = {"recipient": rita, "team_id": claim.team_id, "kind": K.DUE, "claim": claim, "due_at": due, "summary": "x"}
    Notification.objects.create(**row, link="/")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**row, link="/")


def test_the_sweep_handles_bulk_assignments_that_sent_no_signal(team: Team, rita: Any, editor: Any) -> None:
    claims = [ClaimFactory(article=ArticleFactory(team=team)) for _ in range(2)]
    claims_bulk_assign(team=team, claim_ids=[c.pk for c in claims], assignee=rita, user=editor)
    later = timezone.now() + datetime.timedelta(minutes=1)
    result = notifications_sweep(now=later)
    assert result == {"events": 2, "notifications": 2, "emailed": 2}
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(recipient=rita, kind=K.ASSIGNED).count() == 2
    assert notifications_sweep(now=later)["events"] == 0


def test_reading_is_the_recipients_own(claim: Claim, rita: Any, editor: Any) -> None:
    claim_assign(claim=claim, user=editor, assignee=rita)
    [notification] = handle(claim, "claim.assign")
    assert notification_mark_read(user=editor, notification_id=notification.pk) is None
    assert notification_mark_read(user=rita, notification_id=notification.pk) is not None
    assert notifications_mark_all_read(user=rita) == 0
    notification.refresh_from_db()
    assert notification.read_at is not None
