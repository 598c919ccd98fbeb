"""Webhooks: a team's HTTPS endpoints hear when a verdict is published, corrected or retracted.

Each delivery is a row in the delivery log (WebhookDelivery), created in the transaction that
publishes, and sent by a Celery task once that transaction commits. The body is signed with
HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret:

    X-Workbench-Signature: t=<unix seconds>,v1=<hex digest>

Deliveries go through the fetcher's checked connections (annotations.fetching.posting): HTTPS
only, no private, loopback or metadata addresses, the resolved address pinned for the
connection, no redirects followed, a total deadline. The same checks run when an endpoint is
registered, so one that could never be delivered to is refused with a reason there and then
(a name may still change what it resolves to later: every delivery checks again).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import random
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from annotations import outbox
from annotations.access import require_role
from annotations.errors import Conflict, InvalidInput, NotAllowed
from annotations.fetching.connections import check_target
from annotations.fetching.fetcher import FetchFailed, FetchPolicy, FetchRefused, Resolver, system_resolver
from annotations.fetching.posting import post_checked
from annotations.fetching.urls import MAX_URL_LENGTH, InvalidURL, parse_http_url
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

endpoint_resolver: Resolver = system_resolver
"""Looks up an endpoint's host when it is registered (the tests, which have no DNS, replace it)."""


def _admin(*, team: Team, user: User) -> None:
    membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None:
        raise NotAllowed("Only the team's admins can manage its webhooks.")
    require_role(membership, Role.ADMIN)


def _deliverable_url(url: str, *, resolver: Resolver) -> str:
    """The endpoint's URL once deliveries could reach it: https, an allowed port, a host whose
    every address is public. Raises InvalidInput (field "url") saying why not."""
    try:
        target = parse_http_url(url.strip())
    except InvalidURL as exc:
        raise InvalidInput(str(exc), field="url") from exc
    if target.scheme != "https":
        raise InvalidInput("Webhook endpoints must use https://.", field="url")
    if len(target.url) > MAX_URL_LENGTH:
        raise InvalidInput(f"The link is longer than {MAX_URL_LENGTH:,} characters once encoded.", field="url")
    try:
        check_target(target, webhook_policy(), resolver)
    except FetchRefused as exc:
        reason = exc.reason.removeprefix("Refused: ").replace("for fetching", "for webhooks")
        raise InvalidInput(f"Webhooks cannot be sent there: {reason}", field="url") from exc
    except FetchFailed as exc:
        raise InvalidInput(f"{exc.reason} Check the address (a new DNS name may need a moment).", field="url") from exc
    return target.url


def webhook_endpoint_create(
    *, team: Team, user: User, url: str, events: list[str], resolver: Resolver | None = None
) -> WebhookEndpoint:
    """Register an HTTPS endpoint (admins). Its signing secret is generated here.

    The host is looked up before the transaction opens (DNS may take seconds).
    """
    _admin(team=team, user=user)
    if not events or any(event not in WebhookEvent.values for event in events):
        raise InvalidInput(f"Choose events among {', '.join(WebhookEvent.values)}.", field="events")
    clean_url = _deliverable_url(url, resolver=resolver or endpoint_resolver)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            team=team,
            url=clean_url,
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
            "claimant_kind": claim.claimant_kind,
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
    for delivery in deliveries:
        outbox.queue_on_commit(outbox.DELIVER, delivery.pk)
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
    """Send one logged delivery, recording the attempt.

    The delivery is claimed first (pending → sending, under its row lock, with a deadline), so two
    copies of the task cannot both send it; a finished delivery, one not due yet, or one another
    worker is sending is left alone. A worker that dies mid-send leaves it sending past its
    deadline, and the outbox sweep sends it again (receivers tell repeats apart by the delivery id).
    A failure that may pass is recorded as pending with the time the next attempt is due.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return DeliveryOutcome(status="missing")
        due = delivery.next_attempt_at is None or delivery.next_attempt_at <= now
        takeover = delivery.status == DeliveryStatus.SENDING and due
        if not ((delivery.status == DeliveryStatus.PENDING and due) or takeover):
            return DeliveryOutcome(status=delivery.status)
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.next_attempt_at = now + datetime.timedelta(seconds=DELIVERY_DEADLINE * 2 + 5)
        delivery.queued_at = None
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "queued_at"])
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
    values: dict[str, Any] = {"response_status": status_code, "error": error[:2000], "next_attempt_at": None}
    retry_in = None
    if status_code is not None and 200 <= status_code < 300:
        values.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now(), error="")
    elif not retryable or delivery.attempts >= MAX_ATTEMPTS:
        values["status"] = DeliveryStatus.FAILED
    else:
        retry_in = retry_delay(delivery.attempts)
        values.update(
            status=DeliveryStatus.PENDING, next_attempt_at=timezone.now() + datetime.timedelta(seconds=retry_in)
        )
    # Only the attempt that claimed the delivery records its outcome (a takeover may have followed).
    WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING, attempts=delivery.attempts).update(
        **values
    )
    return DeliveryOutcome(status=values["status"], retry_in=retry_in)


PING_EVENT = "ping"
"""A test delivery an admin sends from the Integrations page; it carries no verdict."""


def _sendable(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """The endpoint, locked and read again (a pause may just have committed); Conflict if paused."""
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk, team_id=endpoint.team_id)
    if not locked.is_active:
        raise Conflict("The endpoint is paused: resume it before sending to it.")
    return locked


@transaction.atomic
def webhook_endpoint_set_active(*, endpoint: WebhookEndpoint, user: User, is_active: bool) -> WebhookEndpoint:
    """Pause an endpoint (no new deliveries are logged for it; pending ones fail) or resume it."""
    _admin(team=endpoint.team, user=user)
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk, team=endpoint.team)
    if locked.is_active != is_active:
        locked.is_active = is_active
        locked.save(update_fields=["is_active"])
        audit_record(
            team=endpoint.team,
            actor=user,
            action="webhook.resume" if is_active else "webhook.pause",
            target=locked,
            before={"is_active": not is_active},
            after={"is_active": is_active},
        )
    return locked


@transaction.atomic
def webhook_ping(*, endpoint: WebhookEndpoint, user: User) -> WebhookDelivery:
    """Log a test delivery ("ping") to the endpoint and send it on commit, as real deliveries are."""
    _admin(team=endpoint.team, user=user)
    endpoint = _sendable(endpoint)
    payload = {
        "event": PING_EVENT,
        "team": endpoint.team_id,
        "endpoint": endpoint.pk,
        "events": list(endpoint.events),
        "sent_by": user.get_username(),
    }
    delivery = WebhookDelivery.objects.create(team=endpoint.team, endpoint=endpoint, event=PING_EVENT, payload=payload)
    audit_record(team=endpoint.team, actor=user, action="webhook.ping", target=delivery, after={"event": PING_EVENT})
    outbox.queue_on_commit(outbox.DELIVER, delivery.pk)
    return delivery


@transaction.atomic
def webhook_redeliver(*, delivery: WebhookDelivery, user: User) -> WebhookDelivery:
    """Send a finished delivery again, as a new delivery in the log with the same event and payload
    (the payload names the one it repeats as `redelivery_of`). One still being sent is a Conflict."""
    endpoint = delivery.endpoint
    _admin(team=endpoint.team, user=user)
    endpoint = _sendable(endpoint)
    if delivery.status not in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
        raise Conflict("This delivery is still being sent; wait for it to be delivered or to fail.")
    payload = {**delivery.payload, "redelivery_of": delivery.pk}
    again = WebhookDelivery.objects.create(team=endpoint.team, endpoint=endpoint, event=delivery.event, payload=payload)
    audit_record(
        team=endpoint.team,
        actor=user,
        action="webhook.redeliver",
        target=again,
        before={"delivery": delivery.pk},
        after={"delivery": again.pk},
    )
    outbox.queue_on_commit(outbox.DELIVER, again.pk)
    return again
