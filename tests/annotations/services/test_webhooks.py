from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from annotations.errors import InvalidInput, NotAllowed
from annotations.models import DeliveryStatus, Verdict, WebhookDelivery, WebhookEvent
from annotations.services.verdicts import verdict_propose
from annotations.services.webhooks import webhook_deliver, webhook_endpoint_create, webhooks_dispatch
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
    second = webhook_deliver(delivery_id=delivery.pk)
    assert second.status == DeliveryStatus.FAILED and second.retry_in is None
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.response_status == 410 and "410" in delivery.error


def test_private_addresses_are_refused(team: Any, admin: Any, claim: Any, settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = []
    webhook_endpoint_create(
        team=team, user=admin, url="https://127.0.0.1/hook", events=[WebhookEvent.VERDICT_PUBLISHED]
    )
    [delivery] = webhooks_dispatch(team=team, event=WebhookEvent.VERDICT_PUBLISHED, verdict=published(claim, admin))
    assert webhook_deliver(delivery_id=delivery.pk).status == DeliveryStatus.FAILED
    assert "Refused" in WebhookDelivery.objects.get(pk=delivery.pk).error
