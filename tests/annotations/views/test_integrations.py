"""Team settings → Integrations: webhooks registered, paused, deleted, pinged and redelivered from pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import AuditEvent, DeliveryStatus, Role, WebhookDelivery, WebhookEndpoint, WebhookEvent
from annotations.services.webhooks import PING_EVENT, webhook_endpoint_create
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

HOOK = "https://hooks.example.org/in"


@pytest.fixture
def admin(team: Any) -> Any:
    return MembershipFactory(team=team, user=UserFactory(username="ada"), role=Role.ADMIN).user


@pytest.fixture
def endpoint(team: Any, admin: Any) -> WebhookEndpoint:
    return webhook_endpoint_create(team=team, user=admin, url=HOOK, events=[WebhookEvent.VERDICT_PUBLISHED])


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_admins_open_the_page_and_another_team_is_missing(team: Any, admin: Any, editor: Any, outsider: Any):
    url = reverse("integrations", args=[team.slug])
    assert signed_in(admin).get(url).status_code == 200
    assert signed_in(editor).get(url).status_code == 403
    assert signed_in(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    settings_page = signed_in(admin).get(reverse("team_settings", args=[team.slug])).content.decode()
    assert url in settings_page
    assert url not in signed_in(editor).get(reverse("team_settings", args=[team.slug])).content.decode()


def test_registering_shows_the_secret_once(team: Any, admin: Any):
    client = signed_in(admin)
    response = client.post(
        reverse("webhook_add", args=[team.slug]), {"url": HOOK, "events": ["verdict.published", "verdict.retracted"]}
    )
    assert response.status_code == 201
    endpoint = WebhookEndpoint.objects.get(team=team)
    assert endpoint.events == ["verdict.published", "verdict.retracted"]
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret not in client.get(reverse("integrations", args=[team.slug])).content.decode()
    assert AuditEvent.objects.filter(team=team, action="webhook.create").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "http://hooks.example.org/in", "events": ["verdict.published"]}, "must use https://"),
        ({"url": "https://127.0.0.1/in", "events": ["verdict.published"]}, "Webhooks cannot be sent there"),
        ({"url": "https://10.1.2.3:8443/in", "events": ["verdict.published"]}, "Webhooks cannot be sent there"),
        ({"url": "not a link", "events": ["verdict.published"]}, ""),
        ({"url": HOOK}, "Choose at least one event."),
        ({"url": HOOK, "events": ["verdict.deleted"]}, "not one of the available choices"),
    ],
)
def test_bad_endpoints_are_form_errors(team: Any, admin: Any, data: dict[str, Any], message: str):
    response = signed_in(admin).post(reverse("webhook_add", args=[team.slug]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and message in page
    assert not WebhookEndpoint.objects.exists()


def test_another_teams_endpoint_is_missing(team: Any, admin: Any, endpoint: WebhookEndpoint):
    other = TeamFactory()
    other_admin = MembershipFactory(team=other, role=Role.ADMIN).user
    client = signed_in(other_admin)
    assert client.get(reverse("webhook_endpoint", args=[other.slug, endpoint.pk])).status_code == 404
    assert client.post(reverse("webhook_delete", args=[other.slug, endpoint.pk])).status_code == 404
    assert client.post(reverse("webhook_ping", args=[other.slug, endpoint.pk])).status_code == 404
    assert client.post(reverse("webhook_delete", args=[team.slug, endpoint.pk])).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_posts_need_the_csrf_token(team: Any, admin: Any, endpoint: WebhookEndpoint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert client.post(reverse("webhook_delete", args=[team.slug, endpoint.pk])).status_code == 403
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_pause_resume_and_delete(team: Any, admin: Any, endpoint: WebhookEndpoint):
    client = signed_in(admin)
    response = client.post(reverse("webhook_set_active", args=[team.slug, endpoint.pk]), {})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    response = client.post(reverse("webhook_ping", args=[team.slug, endpoint.pk]))
    assert response.status_code == 409 and "paused" in response.content.decode()
    client.post(reverse("webhook_set_active", args=[team.slug, endpoint.pk]), {"active": "on", "next": "endpoint"})
    endpoint.refresh_from_db()
    assert endpoint.is_active
    actions = list(AuditEvent.objects.filter(team=team, action__startswith="webhook.").values_list("action", flat=True))
    assert "webhook.pause" in actions and "webhook.resume" in actions
    assert client.post(reverse("webhook_delete", args=[team.slug, endpoint.pk])).status_code == 302
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_ping_and_redeliver_are_logged_and_queued_on_commit(
    team: Any, admin: Any, endpoint: WebhookEndpoint, django_capture_on_commit_callbacks: Any
):
    client = signed_in(admin)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("webhook_ping", args=[team.slug, endpoint.pk]))
    assert response.status_code == 302
    ping = WebhookDelivery.objects.get(endpoint=endpoint)
    assert ping.event == PING_EVENT and ping.status == DeliveryStatus.PENDING
    assert ping.payload["endpoint"] == endpoint.pk
    assert len(callbacks) == 1
    # A delivery still being sent cannot be redelivered.
    response = client.post(reverse("webhook_redeliver", args=[team.slug, endpoint.pk, ping.pk]))
    assert response.status_code == 409
    WebhookDelivery.objects.filter(pk=ping.pk).update(status=DeliveryStatus.FAILED, response_status=500, attempts=6)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("webhook_redeliver", args=[team.slug, endpoint.pk, ping.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    again = WebhookDelivery.objects.exclude(pk=ping.pk).get()
    assert again.status == DeliveryStatus.PENDING and again.attempts == 0
    assert again.payload["redelivery_of"] == ping.pk and again.event == PING_EVENT


def test_delivery_log_is_paged_newest_first(team: Any, admin: Any, endpoint: WebhookEndpoint):
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(team=team, endpoint=endpoint, event="verdict.published", payload={}, status="delivered")
        for _ in range(30)
    )
    client = signed_in(admin)
    url = reverse("webhook_endpoint", args=[team.slug, endpoint.pk])
    first = client.get(url)
    assert first.status_code == 200
    shown = [d.pk for d in first.context["page"].object_list]
    assert len(shown) == 25 and shown[0] == max(d.pk for d in deliveries)
    assert shown == sorted(shown, reverse=True)
    assert len(client.get(url, {"page": 2}).context["page"].object_list) == 5


def test_page_queries_do_not_grow(team: Any, admin: Any, endpoint: WebhookEndpoint, django_assert_max_num_queries: Any):
    client = signed_in(admin)
    WebhookDelivery.objects.create(team=team, endpoint=endpoint, event="verdict.published", payload={})
    urls = [reverse("integrations", args=[team.slug]), reverse("webhook_endpoint", args=[team.slug, endpoint.pk])]
    counts = []
    for _ in range(2):
        for url in urls:
            with django_assert_max_num_queries(12) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
        for n in range(3):
            webhook_endpoint_create(team=team, user=admin, url=f"{HOOK}/{n}", events=["verdict.published"])
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(team=team, endpoint=endpoint, event="verdict.published", payload={}) for _ in range(10)
        )
    assert counts[:2] == counts[2:]
