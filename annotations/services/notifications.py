"""Notifications: who is told what, from the audit trail and from due dates, and sending the emails.

The worker calls `notifications_from_event` for each new audit event that may tell someone
something (annotations/notifying.py), `notifications_due` on beat's schedule, and
`notification_email_send` for each notification to email. Nobody is told about their own action,
and only current, active members of the event's team are told. Each event is turned into
notifications once (NotificationDispatch), and each due date once per assignee (a unique
constraint), however many workers run the same work.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from annotations.errors import InvalidInput
from annotations.mentions import mentioned
from annotations.models import (
    AuditEvent,
    Claim,
    Comment,
    Membership,
    Notification,
    NotificationDispatch,
    NotificationKind,
    NotificationPreference,
    Verdict,
)
from annotations.models.notifications import EMAIL_BY_DEFAULT
from annotations.notifying import NOTIFYING_ACTIONS
from annotations.selectors.notifications import choices_for, claims_due, inbox

logger = logging.getLogger(__name__)

K = NotificationKind
QUOTE_LENGTH = 80
SWEEP_WINDOW = datetime.timedelta(days=1)
SWEEP_BATCH = 200


@dataclass(frozen=True)
class Told:
    """One kind of news for some users, from one event."""

    kind: NotificationKind
    user_ids: tuple[int, ...]
    summary: str


def claim_link(claim: Claim) -> str:
    """The claim's place in its article, as a path."""
    return reverse("article", args=[claim.article_id]) + f"#claim-{claim.pk}"


def _quote(claim: Claim) -> str:
    text = " ".join((claim.restated or claim.exact).split())
    return f"“{text[: QUOTE_LENGTH - 1]}…”" if len(text) > QUOTE_LENGTH else f"“{text}”"


def _name(user: User | None) -> str:
    return user.get_username() if user is not None else "Someone"


def _verdict_author(event: AuditEvent) -> list[int]:
    verdict_id = event.after.get("verdict")
    if not isinstance(verdict_id, int) or event.claim_id is None:
        return []
    author = Verdict.objects.filter(pk=verdict_id, claim_id=event.claim_id).values_list("author_id", flat=True).first()
    return [author] if author else []


def _worked_on(claim: Claim) -> list[int]:
    """Who worked on a claim: its assignee, who marked it, and the authors and approvers of its verdicts."""
    ids = {claim.assignee_id, claim.created_by_id}
    for author, approver in Verdict.objects.filter(claim=claim).values_list("author_id", "approved_by_id"):
        ids.update((author, approver))
    return sorted(i for i in ids if i)


def recipients_for(event: AuditEvent) -> list[Told]:
    """What the event tells whom (before leaving out the actor and non-members)."""
    claim = event.claim
    if claim is None or event.action not in NOTIFYING_ACTIONS:
        return []
    actor, quote = _name(event.actor), _quote(claim)
    if event.action in ("claim.assign", "claim.update"):
        assignee = event.after.get("assignee")
        if not isinstance(assignee, int):
            return []
        return [Told(K.ASSIGNED, (assignee,), f"{actor} assigned you the claim {quote}.")]
    if event.action == "claim.request_changes":
        note = " ".join(str(event.after.get("note", "")).split())
        ids = tuple(i for i in (claim.assignee_id, *_verdict_author(event)) if i)
        if not ids:
            verdict_authors = Verdict.objects.filter(claim=claim, is_current=True).values_list("author_id", flat=True)
            ids = tuple(i for i in verdict_authors if i)
        return [Told(K.CHANGES_REQUESTED, ids, f"{actor} requested changes on {quote}: {note[:300]}")]
    if event.action == "claim.approve":
        return [Told(K.APPROVED, tuple(_verdict_author(event)), f"{actor} approved your verdict on {quote}.")]
    if event.action == "claim.publish":
        return [Told(K.PUBLISHED, tuple(_verdict_author(event)), f"{actor} published your verdict on {quote}.")]
    if event.action == "verdict.correct":
        note = " ".join(str(event.after.get("note", "")).split())
        return [
            Told(K.CORRECTION, tuple(_worked_on(claim)), f"{actor} published a correction to {quote}: {note[:300]}")
        ]
    if event.action == "comment.add":
        body = Comment.objects.filter(pk=event.target_id, claim=claim).values_list("body", flat=True).first()
        if not body:
            return []
        members = dict(
            Membership.objects.filter(team_id=event.team_id, user__is_active=True).values_list(
                "user__username", "user_id"
            )
        )
        ids = tuple(members[name] for name in mentioned(body, members))
        return [Told(K.MENTION, ids, f"{actor} mentioned you in a comment on {quote}.")]
    return []


def _members(team_id: int, user_ids: Iterable[int]) -> set[int]:
    return set(
        Membership.objects.filter(team_id=team_id, user_id__in=list(user_ids), user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _build(
    *,
    kind: NotificationKind,
    user_ids: Iterable[int],
    team_id: int,
    claim: Claim,
    summary: str,
    actor_id: int | None,
    event: AuditEvent | None = None,
    due_at: datetime.datetime | None = None,
) -> list[Notification]:
    ids = sorted(set(user_ids))
    choices = choices_for(user_ids=ids, kind=kind)
    return [
        Notification(
            recipient_id=user_id,
            team_id=team_id,
            kind=kind,
            claim=claim,
            actor_id=actor_id,
            event=event,
            due_at=due_at,
            summary=summary[:500],
            link=claim_link(claim),
            in_app=choices[user_id].in_app,
            email_wanted=choices[user_id].email,
        )
        for user_id in ids
        if choices[user_id].in_app or choices[user_id].email
    ]


@transaction.atomic
def notifications_from_event(*, event_id: int) -> list[Notification]:
    """Turn one audit event into notifications, once. Returns the notifications created (none when
    the event was already handled, is gone, or tells nobody)."""
    event = AuditEvent.objects.select_related("claim", "actor").filter(pk=event_id).first()
    if event is None:
        return []
    try:
        with transaction.atomic():
            NotificationDispatch.objects.create(event=event)
    except IntegrityError:
        return []  # another run handled it (or is handling it and will commit)
    claim = event.claim
    if claim is None:
        return []
    notifications: list[Notification] = []
    seen: set[int] = set()
    for told in recipients_for(event):
        ids = _members(event.team_id, told.user_ids) - {event.actor_id} - seen
        seen |= ids
        notifications += _build(
            kind=told.kind,
            user_ids=ids,
            team_id=event.team_id,
            claim=claim,
            summary=told.summary,
            actor_id=event.actor_id,
            event=event,
        )
    return Notification.objects.bulk_create(notifications)


def _due_summary(claim: Claim, now: datetime.datetime) -> str:
    assert claim.due_at is not None
    when = timezone.localtime(claim.due_at).strftime("%Y-%m-%d %H:%M %Z")
    if claim.due_at <= now:
        return f"The claim {_quote(claim)} is overdue: it was due {when}."
    return f"The claim {_quote(claim)} is due {when}."


def notifications_due(*, now: datetime.datetime | None = None) -> list[Notification]:
    """Tell each assignee of a claim due within NOTIFY_DUE_WITHIN_HOURS (or overdue), once per due date."""
    now = now or timezone.now()
    within = datetime.timedelta(hours=settings.NOTIFY_DUE_WITHIN_HOURS)
    created: list[Notification] = []
    for claim in claims_due(now=now, within=within)[:SWEEP_BATCH]:
        assert claim.assignee_id is not None
        for notification in _build(
            kind=K.DUE,
            user_ids=[claim.assignee_id],
            team_id=claim.team_id,
            claim=claim,
            summary=_due_summary(claim, now),
            actor_id=None,
            due_at=claim.due_at,
        ):
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                continue  # a concurrent run told them first (notification_due_once)
            created.append(notification)
    return created


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's email, once: the row is claimed (emailed_at set) before sending and
    released if the backend fails, for the sweep to try again. Returns whether it was sent now."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, email_wanted=True, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient", "team", "actor").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return False
    context = {
        "notification": notification,
        "url": settings.SITE_URL.rstrip("/") + notification.link,
        "preferences_url": settings.SITE_URL.rstrip("/") + reverse("notification_preferences"),
        "recipient": recipient,
    }
    message = EmailMultiAlternatives(
        subject=f"[{notification.team.name}] {K(notification.kind).label}"[:200].replace("\n", " "),
        body=render_to_string("notifications/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    try:
        message.send()
    except Exception:  # the mail server refused or is down: the sweep tries again
        logger.warning("Could not email notification %s.", notification_id, exc_info=True)
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(emailed_at=None)
        return False
    return True


def notifications_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Handle the notifying events of the last day no run has handled (the broker was down when
    they were written, or a bulk write sent no signal), and send the emails still waiting."""
    now = now or timezone.now()
    latest = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    handled = NotificationDispatch.objects.filter(event_id=OuterRef("pk"))
    missed = list(
        AuditEvent.objects.filter(
            pk__gt=latest - 50_000, action__in=NOTIFYING_ACTIONS, created_at__gte=now - SWEEP_WINDOW
        )
        .filter(~Exists(handled), created_at__lte=now - datetime.timedelta(seconds=30))
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    created = 0
    for event_id in missed:
        created += len(notifications_from_event(event_id=event_id))
    waiting = list(
        Notification.objects.filter(email_wanted=True, emailed_at__isnull=True, created_at__gte=now - SWEEP_WINDOW)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    emailed = sum(notification_email_send(notification_id=notification_id) for notification_id in waiting)
    return {"events": len(missed), "notifications": created, "emailed": emailed}


# --- The recipient's own actions ---------------------------------------------------------------


def notification_mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of the user's notifications read; None if the user has no such notification."""
    notification = inbox(user=user).filter(pk=notification_id).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification in the user's inbox read; how many were."""
    return Notification.objects.filter(
        pk__in=inbox(user=user).filter(read_at__isnull=True).values("pk"), read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(*, user: User, choices: dict[str, dict[str, bool]]) -> None:
    """Save the user's choices: {kind: {"in_app": bool, "email": bool}}; kinds left out keep theirs."""
    for kind, choice in choices.items():
        if kind not in K.values:
            raise InvalidInput(f"Unknown kind of notification {kind!r}.", field="kind")
        if set(choice) - {"in_app", "email"} or not all(isinstance(v, bool) for v in choice.values()):
            raise InvalidInput("Each kind takes in_app and email, true or false.", field=kind)
    for kind, choice in choices.items():
        saved = NotificationPreference.objects.select_for_update().filter(user=user, kind=kind).first()
        values = {"in_app": True, "email": K(kind) in EMAIL_BY_DEFAULT, **choice}
        if saved is None:
            NotificationPreference.objects.create(user=user, kind=kind, **values)
        else:
            NotificationPreference.objects.filter(pk=saved.pk).update(**values)
