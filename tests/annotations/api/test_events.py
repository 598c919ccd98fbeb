from __future__ import annotations

from typing import Any

import pytest

from annotations.services.comments import comment_add

pytestmark = pytest.mark.django_db


def test_timeline_in_order_with_fixed_queries(
    api: Any, claim: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8) as few:
        first = api.get(f"/api/v1/claims/{claim.pk}/events/").json()["results"]
    assert [e["action"] for e in first] == ["claim.create"]
    for i in range(8):
        comment_add(claim=claim, user=reviewer, body=f"c{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        events = api.get(f"/api/v1/claims/{claim.pk}/events/").json()["results"]
    assert len(events) == 9 and events[-1]["actor"]["username"] == reviewer.username


def test_isolation(outsider_api: Any, claim: Any) -> None:
    assert outsider_api.get(f"/api/v1/claims/{claim.pk}/events/").status_code == 404
