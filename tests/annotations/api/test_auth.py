from __future__ import annotations

import hashlib
from typing import Any

import pytest

from annotations.models import ApiToken
from annotations.services.api_keys import api_token_create, api_token_revoke
from tests.annotations.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_with_the_error_shape(claim: Any) -> None:
    response = bearer("").get("/api/v1/claims/")
    assert response.status_code in (401, 403)
    from rest_framework.test import APIClient

    anonymous = APIClient().get(f"/api/v1/claims/{claim.pk}/")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert anonymous.json()["error"]["code"] == "not_authenticated"


def test_personal_token_acts_as_its_user(token_api: Any, claim: Any, reviewer: Any) -> None:
    assert token_api.get(f"/api/v1/claims/{claim.pk}/").status_code == 200
    response = token_api.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": "via token"}, format="json")
    assert response.status_code == 201 and response.json()["author"]["id"] == reviewer.pk


def test_tokens_are_stored_hashed_and_revocable(reviewer: Any, claim: Any) -> None:
    issued = api_token_create(user=reviewer, name="ci")
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert stored.key_hash == hashlib.sha256(issued.plaintext.encode()).hexdigest()
    assert issued.plaintext not in str(ApiToken.objects.filter(pk=stored.pk).values().get())
    client = bearer(issued.plaintext)
    assert client.get(f"/api/v1/claims/{claim.pk}/").status_code == 200
    assert ApiToken.objects.get(pk=stored.pk).last_used_at is not None
    api_token_revoke(token=stored, user=reviewer)
    refused = client.get(f"/api/v1/claims/{claim.pk}/")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "authentication_failed"
    assert bearer("fcw_wrong").get("/api/v1/claims/").status_code == 401


def test_team_key_reads_its_team_only_and_cannot_write(key_api: Any, claim: Any, outsider: Any) -> None:
    assert key_api.get(f"/api/v1/claims/{claim.pk}/").status_code == 200
    assert key_api.get(f"/api/v1/articles/{claim.article_id}/claims/").json()["results"][0]["id"] == claim.pk
    write = key_api.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": "x"}, format="json")
    assert write.status_code == 403 and write.json()["error"]["code"] == "permission_denied"
    assert key_api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1}, format="json").status_code == 403
    other_team = outsider.memberships.get().team
    assert key_api.get(f"/api/v1/teams/{other_team.pk}/").status_code == 404
    assert key_api.get("/api/v1/tokens/").status_code == 403


def test_session_writes_need_the_csrf_token(client_for: Any, reviewer: Any, claim: Any) -> None:
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)
    refused = client.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": "x"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
