from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from annotations.models import Notification, NotificationKind, NotificationPreference, Team
from annotations.services.notifications import notifications_from_event
from annotations.services.workflow import claim_assign
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def notify(team: Team, editor: Any, assignee: Any, count: int) -> list[Notification]:
    made = []
    for _ in range(count):
        claim = ClaimFactory(article=ArticleFactory(team=team), exact="flood wall")
        claim_assign(claim=claim, user=editor, assignee=assignee)
        event = claim.audit_events.get(action="claim.assign")
        made += notifications_from_event(event_id=event.pk)
    return made


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_header_shows_the_unread_count(team: Team, reviewer: Any, editor: Any) -> None:
    notify(team, editor, reviewer, 2)
    page = signed_in(reviewer).get(f"/t/{team.slug}/").content.decode()
    assert 'id="unread-notifications">2<span class="visually-hidden"> unread</span>' in page
    assert "unread-notifications" not in signed_in(editor).get(f"/t/{team.slug}/").content.decode()


def test_the_inbox_lists_newest_first_in_pages_with_constant_queries(
    team: Team, reviewer: Any, editor: Any, django_assert_num_queries: Any
) -> None:
    notify(team, editor, reviewer, 3)
    client = signed_in(reviewer)
    client.get("/notifications/")
    # Session, user, the page's count and rows, the header's unread count.
    with django_assert_num_queries(5):
        small = client.get("/notifications/")
    notify(team, editor, reviewer, 30)
    with django_assert_num_queries(5):
        large = client.get("/notifications/")
    assert small.status_code == large.status_code == 200
    items = large.context["notifications"]
    assert len(items) == 25
    assert [n.pk for n in items] == sorted((n.pk for n in items), reverse=True)
    assert "Page 1 of 2" in large.content.decode()
    assert len(client.get("/notifications/?page=2").context["notifications"]) == 8


def test_marking_read_one_and_all(team: Team, reviewer: Any, editor: Any) -> None:
    first, second, _ = notify(team, editor, reviewer, 3)
    client = signed_in(reviewer)
    answer = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert answer.status_code == 302 and answer["Location"] == first.link
    answer = client.post(f"/notifications/{second.pk}/read/", {"next": "https://evil.example.org/"})
    assert answer["Location"] == "/notifications/"
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert client.get(f"/notifications/{first.pk}/read/").status_code == 405


def test_a_user_never_sees_or_reads_another_users_notifications(
    team: Team, reviewer: Any, editor: Any, outsider: Any
) -> None:
    [mine] = notify(team, editor, reviewer, 1)
    for other in (editor, outsider):
        client = signed_in(other)
        assert client.get("/notifications/").context["notifications"] == []
        assert client.post(f"/notifications/{mine.pk}/read/").status_code == 404
        client.post("/notifications/read-all/")
    mine.refresh_from_db()
    assert mine.read_at is None


def test_leaving_the_team_hides_its_notifications(team: Team, reviewer: Any, editor: Any) -> None:
    notify(team, editor, reviewer, 1)
    reviewer.memberships.all().delete()
    MembershipFactory(user=reviewer)  # still in another team
    assert signed_in(reviewer).get("/notifications/").context["notifications"] == []


def test_the_preferences_page_saves_each_switch(reviewer: Any) -> None:
    client = signed_in(reviewer)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'aria-label="A claim is assigned to me: by email"' in page
    data = {f"{kind.value}_in_app": "on" for kind in NotificationKind}
    data["mention_email"] = "on"
    answer = client.post("/notifications/preferences/", data)
    assert answer["Location"] == "/notifications/preferences/?saved=1"
    assert "Your notification choices are saved." in client.get(answer["Location"]).content.decode()
    saved = {p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=reviewer)}
    assert saved["mention"] == (True, True) and saved["assigned"] == (True, False)


def test_pages_need_a_sign_in() -> None:
    assert Client().get("/notifications/").status_code == 302
    assert Client().post("/notifications/read-all/").status_code == 302
