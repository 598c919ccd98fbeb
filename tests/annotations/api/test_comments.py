from __future__ import annotations

from typing import Any

import pytest

from annotations.services.comments import comment_add

pytestmark = pytest.mark.django_db


def test_comment_and_list(api: Any, claim: Any, reviewer: Any, django_assert_max_num_queries: Any) -> None:
    response = api.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": "Check the minutes."}, format="json")
    assert response.status_code == 201
    assert response.json()["author"]["username"] == reviewer.username
    with django_assert_max_num_queries(8) as few:
        api.get(f"/api/v1/claims/{claim.pk}/comments/")
    for i in range(10):
        comment_add(claim=claim, user=reviewer, body=f"c{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get(f"/api/v1/claims/{claim.pk}/comments/").json()
    assert [c["body"] for c in body["results"]][:2] == ["Check the minutes.", "c0"]


def test_empty_comment_and_isolation(api: Any, outsider_api: Any, claim: Any) -> None:
    empty = api.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": ""}, format="json")
    assert empty.status_code == 400 and "body" in empty.json()["error"]["fields"]
    assert outsider_api.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": "hi"}, format="json").status_code == 404
