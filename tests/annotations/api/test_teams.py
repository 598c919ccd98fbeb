from __future__ import annotations

from typing import Any

import pytest

from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_teams_list_the_callers_teams_with_role_and_scale(api: Any, team: Any, reviewer: Any, outsider: Any) -> None:
    body = api.get("/api/v1/teams/").json()
    [item] = body["results"]
    assert item["id"] == team.pk and item["role"] == "reviewer"
    labels = [r["label"] for r in item["rating_scale"]]
    assert labels[0] == "True" and labels[-1] == "Unproven"
    assert set(item["rating_scale"][0]) == {"id", "label", "value", "color", "position"}
    assert api.get(f"/api/v1/teams/{team.pk}/").json()["role"] == "reviewer"


def test_another_team_is_404(api: Any, outsider: Any) -> None:
    other = outsider.memberships.get().team
    response = api.get(f"/api/v1/teams/{other.pk}/")
    assert response.status_code == 404


def test_team_list_queries_do_not_grow(api: Any, reviewer: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(8) as few:
        api.get("/api/v1/teams/")
    for _ in range(5):
        MembershipFactory(team=TeamFactory(), user=reviewer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/teams/").json()["results"]) == 6


def test_team_key_sees_its_team_with_no_role(key_api: Any, team: Any) -> None:
    [item] = key_api.get("/api/v1/teams/").json()["results"]
    assert item["id"] == team.pk and item["role"] is None
