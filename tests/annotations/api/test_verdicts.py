from __future__ import annotations

from typing import Any

import pytest

from annotations.models import ClaimStatus
from annotations.services.verdicts import verdict_propose
from tests.factories import rating

pytestmark = pytest.mark.django_db


def test_propose_and_list_verdicts(api: Any, claim: Any, reviewer: Any, django_assert_max_num_queries: Any) -> None:
    response = api.post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": rating(claim.team, "False").pk, "summary": "It was €38m.", "rationale": "Minutes.", "version": 1},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.headers["ETag"] == '"2"'
    stale = api.post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": rating(claim.team, "True").pk, "summary": "True after all.", "version": 1},
        format="json",
    )
    assert stale.status_code == 409 and stale.json()["last_change"]["action"] == "claim.draft_verdict"
    missing = api.post(
        f"/api/v1/claims/{claim.pk}/verdicts/", {"rating": rating(claim.team, "True").pk, "summary": "s"}, format="json"
    )
    assert missing.status_code == 428
    assert response.json()["rating"]["label"] == "False"
    assert api.get(f"/api/v1/claims/{claim.pk}/").json()["current_verdict"]["id"] == response.json()["id"]
    with django_assert_max_num_queries(8) as few:
        api.get(f"/api/v1/claims/{claim.pk}/verdicts/")
    for _ in range(5):
        verdict_propose(claim=claim, user=reviewer, rating=rating(claim.team, "True"), summary="s")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(f"/api/v1/claims/{claim.pk}/verdicts/").json()["results"]) == 6


def test_bad_rating_and_closed_claim(api: Any, claim: Any, outsider: Any) -> None:
    foreign = rating(outsider.memberships.get().team, "True")
    bad = api.post(
        f"/api/v1/claims/{claim.pk}/verdicts/", {"rating": foreign.pk, "summary": "x", "version": 1}, format="json"
    )
    assert bad.status_code == 400 and "rating" in bad.json()["error"]["fields"]
    claim.status = ClaimStatus.APPROVED
    claim.save()
    closed = api.post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": rating(claim.team, "True").pk, "summary": "x", "version": claim.version},
        format="json",
    )
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "conflict"


def test_isolation(outsider_api: Any, claim: Any) -> None:
    response = outsider_api.post(
        f"/api/v1/claims/{claim.pk}/verdicts/", {"rating": rating(claim.team, "True").pk, "summary": "x"}, format="json"
    )
    assert response.status_code == 404
