from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from annotations.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from annotations.services.verdicts import verdict_propose
from annotations.services.webhooks import webhook_endpoint_create, webhooks_dispatch
from tests.annotations.webhook_server import serving
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, rating


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_signed_webhook(
    tmp_path: Path, worker_env: dict[str, str], request: Any, settings: Any
) -> None:
    with serving(tmp_path) as hooks:
        worker_env.update(
            FETCH_ALLOW_PRIVATE_HOSTS="localhost", FETCH_EXTRA_PORTS=str(hooks.port), WEBHOOK_CA_CERTS=hooks.ca_file
        )
        # Registration checks the endpoint in this process as it will be checked at delivery.
        settings.FETCH_ALLOW_PRIVATE_HOSTS = ["localhost"]
        settings.FETCH_EXTRA_PORTS = [hooks.port]
        request.getfixturevalue("celery_worker")
        team = TeamFactory()
        admin = MembershipFactory(team=team, role="admin").user
        claim = ClaimFactory(article=ArticleFactory(team=team))
        webhook_endpoint_create(team=team, user=admin, url=hooks.url(), events=[WebhookEvent.VERDICT_PUBLISHED])
        with transaction.atomic():
            verdict = verdict_propose(claim=claim, user=admin, rating=rating(team, "True"), summary="Yes.")
            verdict.approved_at = verdict.published_at = timezone.now()
            verdict.save()
            [delivery] = webhooks_dispatch(team=team, event=WebhookEvent.VERDICT_PUBLISHED, verdict=verdict)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not hooks.received:
            time.sleep(0.2)
        assert hooks.received and hooks.received[0]["headers"]["X-Workbench-Event"] == "verdict.published"
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status not in (DeliveryStatus.PENDING, DeliveryStatus.SENDING):
                break
            time.sleep(0.2)
        assert WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.DELIVERED
