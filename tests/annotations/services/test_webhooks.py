from __future__ import annotations

import datetime
import hashlib
import hmac
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotations import outbox
from annotations.errors import Conflict, InvalidInput, NotAllowed
from annotations.models import DeliveryStatus, Verdict, WebhookDelivery, WebhookEndpoint, WebhookEvent
from annotations.services.verdicts import verdict_propose
from annotations.services.webhooks import (
    PING_EVENT,
    signature,
    webhook_deliver,
    webhook_endpoint_create,
    webhook_endpoint_set_active,
    webhook_ping,
    webhook_redeliver,
    webhooks_dispatch,
)
from tests.annotations.webhook_server import HookServer, serving
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks(tmp_path: Path, settings: Any) -> Iterator[HookServer]:
    with serving(tmp_path) as server:
        settings.FETCH_ALLOW_PRIVATE_HOSTS = ["localhost"]
        settings.FETCH_EXTRA_PORTS = [server.port]
        settings.WEBHOOK_CA_CERTS = server.ca_file
        yield server


@pytest.fixture
def admin(team: Any) -> Any:
    return MembershipFactory(team=team, role="admin").user


@pytest.fixture
def claim(team: Any) -> Any:
    return ClaimFactory(article=ArticleFactory(team=team))


def published(claim: Any, user: Any) -> Verdict:
    verdict = verdict_propose(claim=claim, user=user, rating=rating(claim.team, "False"), summary="No.")
    verdict.approved_at = verdict.published_at = timezone.now()
    verdict.save()
    return verdict


def test_endpoints_are_https_and_for_admins(team: Any, admin: Any, editor: Any) -> None:
    with pytest.raises(NotAllowed):
        webhook_endpoint_create(team=team, user=editor, url="https://x.org/h", events=[WebhookEvent.VERDICT_PUBLISHED])
    with pytest.raises(InvalidInput, match="https"):
        webhook_endpoint_create(team=team, user=admin, url="http://x.org/h", events=[WebhookEvent.VERDICT_PUBLISHED])
    with pytest.raises(InvalidInput):
        webhook_endpoint_create(team=team, user=admin, url="https://x.org/h", events=["nope"])


def test_signed_delivery_is_logged(
    hooks: HookServer, team: Any, admin: Any, claim: Any, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = webhook_endpoint_create(team=team, user=admin, url=hooks.url(), events=[WebhookEvent.VERDICT_PUBLISHED])
    webhook_endpoint_create(team=team, user=admin, url=hooks.url("/other"), events=[WebhookEvent.VERDICT_CORRECTED])
    verdict = published(claim, admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [delivery] = webhooks_dispatch(team=team, event=WebhookEvent.VERDICT_PUBLISHED, verdict=verdict)
    assert len(callbacks) == 1  # queued on commit, for the one listening endpoint
    outcome = webhook_deliver(delivery_id=delivery.pk)
    assert outcome.status == DeliveryStatus.DELIVERED
    [sent] = hooks.received
    assert sent["json"]["event"] == "verdict.published" and sent["json"]["verdict"]["rating"]["label"] == "False"
    timestamp, digest = (part.split("=", 1)[1] for part in sent["headers"]["X-Workbench-Signature"].split(","))
    expected = hmac.new(endpoint.secret.encode(), f"{timestamp}.".encode() + sent["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(digest, expected)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.response_status == 204 and delivery.attempts == 1
    assert webhook_deliver(delivery_id=delivery.pk).status == DeliveryStatus.DELIVERED  # not sent twice
    assert len(hooks.received) == 1


def test_server_errors_are_retried_and_client_errors_are_not(
    hooks: HookServer, team: Any, admin: Any, claim: Any
) -> None:
    webhook_endpoint_create(team=team, user=admin, url=hooks.url(), events=[WebhookEvent.VERDICT_PUBLISHED])
    [delivery] = webhooks_dispatch(team=team, event=WebhookEvent.VERDICT_PUBLISHED, verdict=published(claim, admin))
    hooks.statuses = [503, 410]
    first = webhook_deliver(delivery_id=delivery.pk)
    assert first.status == DeliveryStatus.PENDING and first.retry_in is not None and first.retry_in > 0
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at > timezone.now()
    early = webhook_deliver(delivery_id=delivery.pk)  # a copy of the task before the retry is due
    assert early.status == DeliveryStatus.PENDING and WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1
    assert delivery.pk not in outbox.due(outbox.DELIVER)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert delivery.pk in outbox.due(outbox.DELIVER)
    second = webhook_deliver(delivery_id=delivery.pk)
    assert second.status == DeliveryStatus.FAILED and second.retry_in is None
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.response_status == 410 and "410" in delivery.error


def test_a_delivery_being_sent_is_not_sent_again_until_its_attempt_expires(
    hooks: HookServer, team: Any, admin: Any, claim: Any
) -> None:
    webhook_endpoint_create(team=team, user=admin, url=hooks.url(), events=[WebhookEvent.VERDICT_PUBLISHED])
    [delivery] = webhooks_dispatch(team=team, event=WebhookEvent.VERDICT_PUBLISHED, verdict=published(claim, admin))
    soon = timezone.now() + datetime.timedelta(seconds=30)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, next_attempt_at=soon
    )
    assert webhook_deliver(delivery_id=delivery.pk).status == DeliveryStatus.SENDING  # another worker has it
    assert delivery.pk not in outbox.due(outbox.DELIVER) and len(hooks.received) == 0
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())  # that worker died
    assert delivery.pk in outbox.due(outbox.DELIVER)
    assert webhook_deliver(delivery_id=delivery.pk).status == DeliveryStatus.DELIVERED
    assert len(hooks.received) == 1 and WebhookDelivery.objects.get(pk=delivery.pk).attempts == 2


def test_an_endpoint_that_turned_private_is_refused_at_delivery(team: Any, admin: Any, claim: Any) -> None:
    """Registration checked the name; deliveries check it again (its DNS may change later)."""
    endpoint = webhook_endpoint_create(
        team=team, user=admin, url="https://hooks.example.org/in", events=[WebhookEvent.VERDICT_PUBLISHED]
    )
    [delivery] = webhooks_dispatch(team=team, event=WebhookEvent.VERDICT_PUBLISHED, verdict=published(claim, admin))
    assert endpoint.url == "https://hooks.example.org/in"
    outcome = webhook_deliver(delivery_id=delivery.pk, resolver=lambda host, port: ["10.0.0.7"])
    assert outcome.status == DeliveryStatus.FAILED
    assert "10.0.0.7, a private address" in WebhookDelivery.objects.get(pk=delivery.pk).error


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1/hook", "127.0.0.1, a loopback address"),
        ("https://10.1.2.3/hook", "a private address"),
        ("https://169.254.169.254/latest/meta-data/", "the cloud metadata service address"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback"),
        ("https://0x7f.1/hook", "loopback"),
        ("https://hooks.example.org:8443/hook", "port 8443 is not allowed for webhooks (allowed: 443)"),
        ("https://internal.example.org/hook", "resolves to 192.168.1.20, a private address"),
        ("https://nowhere.invalid/hook", "does not resolve"),
        ("https://a..b/hook", "not a valid host name"),
        ("https://" + "a" * 64 + ".example.org/", "too long"),
        ("https://hooks.example.org/a\r\nX-Injected: 1", "line break"),
    ],
)
def test_endpoints_that_could_never_be_delivered_to_are_refused_at_registration(
    team: Any, admin: Any, settings: Any, url: str, reason: str
) -> None:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = []
    addresses = {"hooks.example.org": ["93.184.215.14"], "internal.example.org": ["93.184.215.14", "192.168.1.20"]}

    def resolver(host: str, port: int) -> list[str]:
        if host not in addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return addresses[host]

    with pytest.raises(InvalidInput) as refused:
        webhook_endpoint_create(
            team=team, user=admin, url=url, events=[WebhookEvent.VERDICT_PUBLISHED], resolver=resolver
        )
    assert refused.value.field == "url" and reason in refused.value.message, refused.value.message
    assert not WebhookEndpoint.objects.filter(team=team).exists()


def test_registration_refusals_are_field_errors_in_the_api(team: Any, admin: Any) -> None:
    client = APIClient()
    client.force_login(admin)
    response = client.post(
        f"/api/v1/teams/{team.pk}/webhooks/",
        {"url": "https://169.254.169.254/hook", "events": ["verdict.published"]},
        format="json",
    )
    assert response.status_code == 400
    assert "cloud metadata" in response.json()["error"]["fields"]["url"][0]


def test_a_ping_is_signed_and_delivered_like_an_event(team: Any, admin: Any, hooks: HookServer) -> None:
    endpoint = webhook_endpoint_create(team=team, user=admin, url=hooks.url(), events=[WebhookEvent.VERDICT_PUBLISHED])
    ping = webhook_ping(endpoint=endpoint, user=admin)
    assert webhook_deliver(delivery_id=ping.pk).status == DeliveryStatus.DELIVERED
    [received] = hooks.received
    assert received["headers"]["X-Workbench-Event"] == PING_EVENT
    assert received["json"]["event"] == PING_EVENT and received["json"]["delivery"] == ping.pk
    timestamp = int(received["headers"]["X-Workbench-Signature"].split(",")[0].removeprefix("t="))
    assert received["headers"]["X-Workbench-Signature"] == signature(
        secret=endpoint.secret, timestamp=timestamp, body=received["body"]
    )


def test_redelivery_sends_the_same_payload_as_a_new_delivery(
    team: Any, admin: Any, claim: Any, hooks: HookServer
) -> None:
    webhook_endpoint_create(team=team, user=admin, url=hooks.url(), events=[WebhookEvent.VERDICT_PUBLISHED])
    [first] = webhooks_dispatch(team=team, event=WebhookEvent.VERDICT_PUBLISHED, verdict=published(claim, admin))
    hooks.statuses = [404]
    assert webhook_deliver(delivery_id=first.pk).status == DeliveryStatus.FAILED
    first.refresh_from_db()
    again = webhook_redeliver(delivery=first, user=admin)
    assert webhook_deliver(delivery_id=again.pk).status == DeliveryStatus.DELIVERED
    sent = hooks.received[-1]["json"]
    assert sent["verdict"] == first.payload["verdict"] and sent["redelivery_of"] == first.pk
    assert sent["delivery"] == again.pk
    first.refresh_from_db()
    assert first.status == DeliveryStatus.FAILED and first.response_status == 404


def test_ping_and_redelivery_need_an_admin_and_an_active_endpoint(team: Any, admin: Any, editor: Any) -> None:
    endpoint = webhook_endpoint_create(
        team=team, user=admin, url="https://hooks.example.org/in", events=[WebhookEvent.VERDICT_PUBLISHED]
    )
    with pytest.raises(NotAllowed):
        webhook_ping(endpoint=endpoint, user=editor)
    with pytest.raises(NotAllowed):
        webhook_endpoint_set_active(endpoint=endpoint, user=editor, is_active=False)
    ping = webhook_ping(endpoint=endpoint, user=admin)
    with pytest.raises(Conflict):
        webhook_redeliver(delivery=ping, user=admin)
    WebhookDelivery.objects.filter(pk=ping.pk).update(status=DeliveryStatus.DELIVERED)
    ping.refresh_from_db()
    with pytest.raises(NotAllowed):
        webhook_redeliver(delivery=ping, user=editor)
    webhook_endpoint_set_active(endpoint=endpoint, user=admin, is_active=False)
    endpoint.refresh_from_db()
    with pytest.raises(Conflict):
        webhook_ping(endpoint=endpoint, user=admin)
    with pytest.raises(Conflict):
        webhook_redeliver(delivery=ping, user=admin)
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
