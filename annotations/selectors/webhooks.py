"""A team's webhook endpoints and their delivery logs, as the Integrations page shows them."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from annotations.models import DeliveryStatus, Team, WebhookDelivery, WebhookEndpoint


def webhook_endpoints_for_team(*, team: Team) -> QuerySet[WebhookEndpoint]:
    """The team's endpoints, oldest first, each with `delivery_count`, `failed_count` and
    `last_delivery_at` (one query however many deliveries)."""
    return (
        WebhookEndpoint.objects.filter(team=team)
        .annotate(
            delivery_count=Count("deliveries"),
            failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            last_delivery_at=Max("deliveries__created_at"),
        )
        .order_by("id")
    )


def webhook_endpoint_of_team(*, team: Team, endpoint_id: int) -> WebhookEndpoint | None:
    """The team's endpoint `endpoint_id`, or None (another team's endpoint is missing)."""
    return WebhookEndpoint.objects.select_related("team").filter(pk=endpoint_id, team=team).first()


def webhook_deliveries_for_endpoint(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's delivery log, newest first, without the payloads."""
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint, team_id=endpoint.team_id)
        .defer("payload")
        .order_by("-created_at", "-id")
    )
