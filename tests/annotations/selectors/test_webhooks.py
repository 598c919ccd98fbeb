from __future__ import annotations

from typing import Any

import pytest

from annotations.models import DeliveryStatus, Role, WebhookDelivery
from annotations.selectors.webhooks import (
    webhook_deliveries_for_endpoint,
    webhook_endpoint_of_team,
    webhook_endpoints_for_team,
)
from annotations.services.webhooks import webhook_endpoint_create
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_endpoints_carry_their_delivery_counts_and_stay_in_their_team(team: Any) -> None:
    admin = MembershipFactory(team=team, role=Role.ADMIN).user
    endpoint = webhook_endpoint_create(
        team=team, user=admin, url="https://a.example.org/", events=["verdict.published"]
    )
    for status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.FAILED):
        WebhookDelivery.objects.create(
            team=team, endpoint=endpoint, event="verdict.published", payload={}, status=status
        )
    [row] = webhook_endpoints_for_team(team=team)
    assert (row.delivery_count, row.failed_count) == (3, 2)
    other = TeamFactory()
    assert not webhook_endpoints_for_team(team=other).exists()
    assert webhook_endpoint_of_team(team=other, endpoint_id=endpoint.pk) is None
    log = list(webhook_deliveries_for_endpoint(endpoint=endpoint))
    assert [d.pk for d in log] == sorted((d.pk for d in log), reverse=True)
