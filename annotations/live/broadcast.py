"""Hints of changes, sent through the channel layer once the change is committed.

Every service that changes something records an AuditEvent in its transaction; a receiver turns
each new event into a hint for the article it touches and queues the send on commit, so a rolled
back change announces nothing and a page that hears a hint reads committed data. Events recorded
by Celery workers go out the same way (through Redis, which every web process listens to).
A hint that cannot be sent is logged; the write it announces stands, and open pages still see the
change with their next poll.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer  # type: ignore[import-untyped]
from django.db import transaction
from django.db.models.signals import post_save

from annotations.models import AuditEvent, Claim

logger = logging.getLogger(__name__)

CHANGE = "live.change"
"""The channel-layer message type of a hint about an article (handled by ArticleConsumer.live_change)."""
MEMBERSHIP = "live.membership"
"""The message type telling a team's sockets that someone's membership changed (their access is checked again)."""


class Hint(TypedDict):
    """What an open page is told: which article changed, how, and which claim or revision."""

    article: int
    action: str
    claim: int | None
    revision: int | None


def article_group(article_id: int) -> str:
    return f"article.{article_id}"


def team_group(team_id: int) -> str:
    return f"team.{team_id}"


def change_hint(event: AuditEvent) -> Hint | None:
    """The hint for an event that touches an article's claims or text; None for the others.

    Called while the event's transaction is open: a deleted claim's article is still readable,
    and the claim the service passed along is used without another query.
    """
    claim_id = event.claim_id
    if claim_id is None and event.target_type == "claim":
        claim_id = event.target_id
    revision = None
    if event.target_type == "article":
        article_id = event.target_id
        revision = event.after.get("revision") if isinstance(event.after, dict) else None
    elif claim_id is None:
        return None
    elif event.claim_id is not None and AuditEvent.claim.is_cached(event):
        article_id = event.claim.article_id  # type: ignore[union-attr]
    elif isinstance(event.before, dict) and isinstance(event.before.get("article"), int):
        article_id = event.before["article"]
    else:
        found = Claim.objects.filter(pk=claim_id).values_list("article_id", flat=True).first()
        if found is None:
            return None
        article_id = found
    return Hint(
        article=article_id,
        action=event.action,
        claim=claim_id,
        revision=revision if isinstance(revision, int) else None,
    )


def publish(group: str, message: dict[str, Any]) -> None:
    """Send `message` to the sockets in `group`; a failure is logged, never raised.

    From sync code (a request's thread under ASGI, a Celery task, a management command). Sync code
    called from inside an event loop's thread cannot wait on that loop: it sends from a thread.
    """
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        send = async_to_sync(layer.group_send)
        if _loop_running():
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(send, group, message).result(timeout=10)
        else:
            send(group, message)
    except Exception:
        logger.warning("Live update to %s not sent; open pages see it with their next poll.", group, exc_info=True)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def announce_event(
    *, sender: type[AuditEvent], instance: AuditEvent, created: bool, raw: bool = False, **_: Any
) -> None:
    """post_save receiver of AuditEvent: queue the event's hints for when its transaction commits."""
    if not created or raw:
        return
    try:
        hint = change_hint(instance)
        member = _membership_change(instance)
    except Exception:
        logger.warning("No live update for audit event %s.", instance.pk, exc_info=True)
        return
    if hint is not None:
        message = {"type": CHANGE, **hint}
        transaction.on_commit(partial(publish, article_group(hint["article"]), message), robust=True)
    if member is not None:
        message = {"type": MEMBERSHIP, "user": member}
        group = team_group(instance.team_id)
        transaction.on_commit(partial(publish, group, message), robust=True)


def _membership_change(event: AuditEvent) -> int | None:
    """The user whose membership of the event's team changed (removed, deactivated, new role), else None."""
    if not event.action.startswith("member."):
        return None
    for values in (event.before, event.after):
        if isinstance(values, dict) and isinstance(values.get("user"), int):
            return int(values["user"])
    from annotations.models import Membership

    return Membership.objects.filter(pk=event.target_id).values_list("user_id", flat=True).first()


def connect() -> None:
    """Connect the receiver (from AnnotationsConfig.ready)."""
    post_save.connect(announce_event, sender=AuditEvent, dispatch_uid="annotations.live.announce_event")
