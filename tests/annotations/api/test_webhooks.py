from __future__ import annotations

from typing import Any

import pytest

from annotations.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_admin_registers_lists_and_deletes_endpoints(
    client_for: Any, team: Any, team_admin: Any, api: Any, outsider_api: Any, django_assert_max_num_queries: Any
) -> None:
    admin = client_for(team_admin)
    url = f"/api/v1/teams/{team.pk}/webhooks/"
    created = admin.post(url, {"url": "https://hooks.example.org/fc", "events": ["verdict.published"]}, format="json")
    assert created.status_code == 201, created.json()
    assert len(created.json()["secret"]) == 64
    assert api.post(url, {"url": "https://x.org", "events": ["verdict.published"]}, format="json").status_code == 403
    assert admin.post(url, {"url": "http://x.org", "events": ["verdict.published"]}, format="json").status_code == 400
    endpoint = WebhookEndpoint.objects.get()
    for i in range(3):
        WebhookDelivery.objects.create(team=team, endpoint=endpoint, event="verdict.published", payload={"n": i})
    with django_assert_max_num_queries(8) as few:
        admin.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/")
    baseline = len(few.captured_queries)
    for i in range(10):
        WebhookDelivery.objects.create(team=team, endpoint=endpoint, event="verdict.published", payload={"n": i})
    with django_assert_max_num_queries(baseline):
        assert len(admin.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()["results"]) == 13
    assert [e["url"] for e in admin.get(url).json()["results"]] == ["https://hooks.example.org/fc"]
    assert "secret" not in admin.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert outsider_api.get(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 404
    assert outsider_api.get(url).status_code == 404
    assert admin.delete(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()
