"""Webhooks: a team's HTTPS endpoints hear when a verdict is published, corrected or retracted.

Each delivery is a row in the delivery log (WebhookDelivery), created in the transaction that
publishes, and sent by a Celery task once that transaction commits. The body is signed with
HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret:

    X-Workbench-Signature: t=<unix seconds>,v1=<hex digest>

Deliveries go through the fetcher's checked connections (annotations.fetching.posting): HTTPS
only, no private, loopback or metadata addresses, the resolved address pinned for the
connection, no redirects followed, a total deadline.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from annotations.access import require_role
from annotations.errors import InvalidInput, NotAllowed
from annotations.fetching.fetcher import FetchFailed, FetchPolicy, FetchRefused, Resolver, system_resolver
from annotations.fetching.posting import post_checked
from annotations.fetching.urls import InvalidURL, parse_http_url
from annotations.models import (
    DeliveryStatus,
    Membership,
    Role,
    Team,
    Verdict,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from annotations.services.audit import audit_record

MAX_ATTEMPTS = 6
DELIVERY_DEADLINE = 15.0
USER_AGENT = "FactCheckWorkbench-Webhooks/1"


def _admin(*, team: Team, user: User) -> None:
    membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None:
        raise NotAllowed("Only the team's admins can manage its webhooks.")
    require_role(membership, Role.ADMIN)


def _clean_url(url: str) -> str:
    try:
        target = parse_http_url(url.strip())
    except InvalidURL as exc:
        raise InvalidInput(str(exc), field="url") from exc
    if target.scheme != "https":
        raise InvalidInput("Webhook endpoints must use https://.", field="url")
    return target.url


@transaction.atomic
def webhook_endpoint_create(*, team: Team, user: User, url: str, events: list[str]) -> WebhookEndpoint:
    """Register an HTTPS endpoint (admins). Its signing secret is generated here."""
    _admin(team=team, user=user)
    if not events or any(event not in WebhookEvent.values for event in events):
        raise InvalidInput(f"Choose events among {', '.join(WebhookEvent.values)}.", field="events")
    endpoint = WebhookEndpoint.objects.create(
        team=team,
        url=_clean_url(url),
        events=sorted(set(events)),
        secret=secrets.token_hex(32),
        created_by=user,
    )
    audit_record(team=team, actor=user, action="webhook.create", target=endpoint, after={"url": endpoint.url})
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, user: User) -> None:
    _admin(team=endpoint.team, user=user)
    audit_record(team=endpoint.team, actor=user, action="webhook.delete", target=endpoint, before={"url": endpoint.url})
    endpoint.delete()


def webhook_payload(*, event: str, verdict: Verdict) -> dict[str, Any]:
    claim = verdict.claim
    return {
        "event": event,
        "team": verdict.team_id,
        "claim": {
            "id": claim.pk,
            "article": claim.article_id,
            "exact": claim.exact,
            "restated": claim.restated,
            "claimant": claim.claimant,
        },
        "verdict": {
            "id": verdict.pk,
            "rating": {"id": verdict.rating_id, "label": verdict.rating.label, "value": verdict.rating.value},
            "summary": verdict.summary,
            "published_at": verdict.published_at.isoformat() if verdict.published_at else None,
            "corrects": verdict.corrects_id,
            "correction_note": verdict.correction_note,
            "retracted_at": verdict.retracted_at.isoformat() if verdict.retracted_at else None,
            "retraction_note": verdict.retraction_note,
        },
    }


def webhooks_dispatch(*, team: Team, event: str, verdict: Verdict) -> list[WebhookDelivery]:
    """Log a delivery for every active endpoint of the team that listens to `event`; send on commit.

    Call inside the transaction that publishes: if it rolls back, nothing is logged or sent.
    """
    endpoints = list(WebhookEndpoint.objects.filter(team=team, is_active=True, events__contains=[event]))
    if not endpoints:
        return []
    payload = webhook_payload(event=event, verdict=verdict)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(team=team, endpoint=endpoint, event=event, payload=payload) for endpoint in endpoints
    )
    from annotations.tasks.webhooks import deliver_webhook

    for delivery in deliveries:
        transaction.on_commit(partial(deliver_webhook.delay, delivery.pk))
    return deliveries


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_policy() -> FetchPolicy:
    return FetchPolicy(
        allowed_ports=frozenset({443, *settings.FETCH_EXTRA_PORTS}),
        total_deadline=DELIVERY_DEADLINE,
        connect_timeout=5.0,
        read_timeout=10.0,
        user_agent=USER_AGENT,
        allow_private_hosts=frozenset(settings.FETCH_ALLOW_PRIVATE_HOSTS),
        ca_certs=settings.WEBHOOK_CA_CERTS or None,
    )


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str
    retry_in: float | None = None


def retry_delay(attempt: int) -> float:
    """Exponential backoff with jitter: about 10 s, 20 s, 40 s … capped at an hour."""
    base = min(settings.WEBHOOK_RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1), 3600.0)
    return base * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security


def webhook_deliver(*, delivery_id: int, resolver: Resolver = system_resolver) -> DeliveryOutcome:
    """Send one logged delivery, recording the attempt. Idempotent: a finished delivery is left alone."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return DeliveryOutcome(status=delivery.status if delivery else "missing")
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
        endpoint = delivery.endpoint
        payload = {**delivery.payload, "delivery": delivery.pk, "attempt": delivery.attempts}
    body = json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Workbench-Event": delivery.event,
        "X-Workbench-Delivery": str(delivery.pk),
        "X-Workbench-Signature": signature(secret=endpoint.secret, timestamp=timestamp, body=body),
    }
    status_code: int | None = None
    error = ""
    retryable = False
    if not endpoint.is_active:
        error = "The endpoint was deactivated."
    else:
        try:
            status_code = post_checked(
                endpoint.url, body=body, headers=headers, policy=webhook_policy(), resolver=resolver
            )
        except FetchRefused as exc:
            error = exc.reason
        except FetchFailed as exc:
            error, retryable = exc.reason, exc.retryable
        else:
            if not 200 <= status_code < 300:
                error = f"The endpoint answered {status_code}."
                retryable = status_code == 429 or status_code >= 500 or status_code == 408
    values: dict[str, Any] = {"response_status": status_code, "error": error[:2000]}
    if status_code is not None and 200 <= status_code < 300:
        values.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now(), error="")
    elif not retryable or delivery.attempts >= MAX_ATTEMPTS:
        values["status"] = DeliveryStatus.FAILED
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**values)
    status = values.get("status", DeliveryStatus.PENDING)
    if status == DeliveryStatus.PENDING:
        return DeliveryOutcome(status=status, retry_in=retry_delay(delivery.attempts))
    return DeliveryOutcome(status=status)
