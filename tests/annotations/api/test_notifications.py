from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotations.api.serializers.notifications import NotificationOut, notification_json
from annotations.models import Notification, Team
from annotations.services.notifications import notifications_from_event
from annotations.services.workflow import claim_assign
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def notify(team: Team, editor: Any, assignee: Any, count: int) -> list[Notification]:
    made = []
    for _ in range(count):
        claim = ClaimFactory(article=ArticleFactory(team=team))
        claim_assign(claim=claim, user=editor, assignee=assignee)
        made += notifications_from_event(event_id=claim.audit_events.get(action="claim.assign").pk)
    return made


def test_the_list_pages_newest_first_with_constant_queries(
    api: APIClient, team: Team, reviewer: Any, editor: Any, django_assert_num_queries: Any
) -> None:
    notify(team, editor, reviewer, 3)
    api.get("/api/v1/notifications/")
    with django_assert_num_queries(3):  # session, user, the page
        small = api.get("/api/v1/notifications/?page_size=2")
    notify(team, editor, reviewer, 10)
    with django_assert_num_queries(3):
        api.get("/api/v1/notifications/?page_size=2")
    body = small.json()
    assert [n["kind"] for n in body["results"]] == ["assigned", "assigned"]
    assert body["results"][0]["actor"] == {"id": editor.pk, "username": "eddie"}
    assert body["next"] and api.get(body["next"]).json()["results"]


def test_the_json_and_the_schema_agree_key_by_key(team: Team, reviewer: Any, editor: Any) -> None:
    [notification] = notify(team, editor, reviewer, 1)
    assert set(notification_json(notification)) == set(NotificationOut().fields)


def test_marking_read(api: APIClient, editor_api: APIClient, team: Team, reviewer: Any, editor: Any) -> None:
    [notification] = notify(team, editor, reviewer, 1)
    assert editor_api.post(f"/api/v1/notifications/{notification.pk}/read/").status_code == 404
    answer = api.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert answer.status_code == 200 and answer.json()["read_at"]
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 0}


def test_a_user_sees_only_their_own(
    outsider_api: APIClient, editor_api: APIClient, team: Team, reviewer: Any, editor: Any
) -> None:
    notify(team, editor, reviewer, 2)
    assert outsider_api.get("/api/v1/notifications/").json()["results"] == []
    assert editor_api.get("/api/v1/notifications/").json()["results"] == []


def test_preferences_read_and_set(api: APIClient) -> None:
    choices = api.get("/api/v1/notifications/preferences/").json()["preferences"]
    assigned = next(c for c in choices if c["kind"] == "assigned")
    assert assigned == {"kind": "assigned", "label": "A claim is assigned to me", "in_app": True, "email": True}
    assert next(c for c in choices if c["kind"] == "approved")["email"] is False
    answer = api.put(
        "/api/v1/notifications/preferences/",
        {"preferences": [{"kind": "assigned", "in_app": False, "email": False}]},
        format="json",
    )
    assert answer.status_code == 200
    assert next(c for c in answer.json()["preferences"] if c["kind"] == "assigned")["in_app"] is False


def test_bad_preferences_are_a_400_naming_the_field(api: APIClient) -> None:
    answer = api.put(
        "/api/v1/notifications/preferences/",
        {"preferences": [{"kind": "weather", "in_app": "yes", "email": True}]},
        format="json",
    )
    assert answer.status_code == 400
    fields = answer.json()["error"]["fields"]
    assert any("kind" in key for key in fields) and any("in_app" in key for key in fields)


def test_team_keys_and_anonymous_callers_are_refused(key_api: APIClient) -> None:
    assert key_api.get("/api/v1/notifications/").status_code == 403
    assert APIClient().get("/api/v1/notifications/").status_code in (401, 403)
