"""The team's workflow settings over the API: the match score "Already checked?" needs."""

from __future__ import annotations

from typing import Any

import pytest

from annotations.matching.ranking import DEFAULT_THRESHOLD
from annotations.models import AuditEvent, Team

pytestmark = pytest.mark.django_db


def workflow_url(team: Team) -> str:
    return f"/api/v1/teams/{team.pk}/workflow/"


def test_members_read_the_threshold_and_its_default(api: Any, team: Team) -> None:
    body = api.get(workflow_url(team)).json()
    assert body["similarity_threshold"] == DEFAULT_THRESHOLD and 0 < DEFAULT_THRESHOLD < 1
    assert body["default_due_days"] == team.default_due_days and body["role"] == "reviewer"


def test_an_admin_changes_the_threshold_alone_and_it_is_audited(client_for: Any, team: Team, team_admin: Any) -> None:
    response = client_for(team_admin).patch(workflow_url(team), {"similarity_threshold": 0.72}, format="json")
    assert response.status_code == 200
    assert response.json()["similarity_threshold"] == 0.72
    assert response.json()["default_due_days"] == 3
    team.refresh_from_db()
    assert team.similarity_threshold == 0.72 and team.default_due_days == 3
    event = AuditEvent.objects.get(team=team, action="team.similarity_threshold")
    assert event.before == {"similarity_threshold": DEFAULT_THRESHOLD} and event.after == {"similarity_threshold": 0.72}
    # The bounds are allowed; an integer counts as a number.
    for value in (0, 1):
        assert client_for(team_admin).patch(workflow_url(team), {"similarity_threshold": value}, format="json").json()[
            "similarity_threshold"
        ] == float(value)


@pytest.mark.parametrize("value", [-0.01, 1.01, 2, "0.5", True, None, "high"])
def test_a_threshold_outside_0_to_1_is_a_400_naming_the_field(
    client_for: Any, team: Team, team_admin: Any, value: Any
) -> None:
    response = client_for(team_admin).patch(workflow_url(team), {"similarity_threshold": value}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["similarity_threshold"]
    team.refresh_from_db()
    assert team.similarity_threshold == DEFAULT_THRESHOLD


def test_both_settings_change_together_or_not_at_all(client_for: Any, team: Team, team_admin: Any) -> None:
    admin = client_for(team_admin)
    both = admin.patch(workflow_url(team), {"default_due_days": 7, "similarity_threshold": 0.4}, format="json")
    assert both.status_code == 200
    assert both.json()["default_due_days"] == 7 and both.json()["similarity_threshold"] == 0.4
    refused = admin.patch(workflow_url(team), {"default_due_days": 0, "similarity_threshold": 0.9}, format="json")
    assert refused.status_code == 400 and "default_due_days" in refused.json()["error"]["fields"]
    team.refresh_from_db()
    assert (team.default_due_days, team.similarity_threshold) == (7, 0.4)


def test_only_admins_change_it_and_other_teams_cannot_see_it(
    api: Any, editor_api: Any, outsider_api: Any, team: Team
) -> None:
    for client in (api, editor_api):
        assert client.patch(workflow_url(team), {"similarity_threshold": 0.9}, format="json").status_code == 403
    assert outsider_api.get(workflow_url(team)).status_code == 404
    assert outsider_api.patch(workflow_url(team), {"similarity_threshold": 0.9}, format="json").status_code == 404
    team.refresh_from_db()
    assert team.similarity_threshold == DEFAULT_THRESHOLD


def test_a_patch_that_changes_nothing_is_a_400(client_for: Any, team: Team, team_admin: Any) -> None:
    response = client_for(team_admin).patch(workflow_url(team), {}, format="json")
    assert response.status_code == 400
    assert "similarity_threshold" in response.json()["error"]["fields"]["non_field_errors"][0]
