from __future__ import annotations

from typing import Any

import pytest

from annotations.models import ApiToken, TokenKind
from tests.annotations.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_create_list_and_revoke_a_personal_token(api: Any, claim: Any, django_assert_max_num_queries: Any) -> None:
    created = api.post("/api/v1/tokens/", {"name": "laptop"}, format="json")
    assert created.status_code == 201
    token = created.json()["token"]
    assert token.startswith(created.json()["prefix"])
    assert bearer(token).get(f"/api/v1/claims/{claim.pk}/").status_code == 200
    with django_assert_max_num_queries(6) as few:
        api.get("/api/v1/tokens/")
    baseline = len(few.captured_queries)  # read now: every request clears Django's query log
    for i in range(5):
        api.post("/api/v1/tokens/", {"name": f"t{i}"}, format="json")
    with django_assert_max_num_queries(baseline):
        listed = api.get("/api/v1/tokens/").json()["results"]
    assert len(listed) == 6 and all("token" not in t for t in listed)
    assert api.delete(f"/api/v1/tokens/{created.json()['id']}/").status_code == 204
    assert bearer(token).get(f"/api/v1/claims/{claim.pk}/").status_code == 401


def test_team_keys_are_for_admins(api: Any, client_for: Any, team: Any, team_admin: Any, outsider_api: Any) -> None:
    assert api.post(f"/api/v1/teams/{team.pk}/api-keys/", {"name": "x"}, format="json").status_code == 403
    admin = client_for(team_admin)
    created = admin.post(f"/api/v1/teams/{team.pk}/api-keys/", {"name": "newsroom"}, format="json")
    assert created.status_code == 201 and created.json()["kind"] == TokenKind.TEAM_READ
    assert [k["name"] for k in admin.get(f"/api/v1/teams/{team.pk}/api-keys/").json()["results"]] == ["newsroom"]
    assert outsider_api.get(f"/api/v1/teams/{team.pk}/api-keys/").status_code == 404
    assert outsider_api.delete(f"/api/v1/tokens/{created.json()['id']}/").status_code == 404
    assert admin.delete(f"/api/v1/tokens/{created.json()['id']}/").status_code == 204
    assert ApiToken.objects.get(pk=created.json()["id"]).revoked_at is not None
