"""Reading notifications: a user's inbox and unread count, their preferences, and the claims whose
due date has come near. A user sees only their own notifications, and only from teams they are
still a member of."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, QuerySet

from annotations.models import Claim, Membership, Notification, NotificationKind, NotificationPreference
from annotations.models.notifications import EMAIL_BY_DEFAULT
from annotations.selectors.queues import UNFINISHED_STATUSES

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Choice:
    """A user's choice for one kind of notification."""

    kind: NotificationKind
    in_app: bool
    email: bool

    @property
    def label(self) -> str:
        return str(self.kind.label)


def default_choice(kind: NotificationKind) -> Choice:
    return Choice(kind=kind, in_app=True, email=kind in EMAIL_BY_DEFAULT)


def inbox(*, user: AnyUser) -> QuerySet[Notification]:
    """The notifications a user's inbox shows, newest first (the caller pages them)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    member = Membership.objects.filter(team_id=OuterRef("team_id"), user=user)
    return (
        Notification.objects.filter(Exists(member), recipient=user, in_app=True)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def unread_count(*, user: AnyUser) -> int:
    """How many inbox notifications are unread: one query (the partial index notification_unread)."""
    if not user.is_authenticated:
        return 0
    return inbox(user=user).filter(read_at__isnull=True).count()


def preferences(*, user: User) -> list[Choice]:
    """The user's choice for every kind, in the order of NotificationKind (defaults where none was saved)."""
    saved = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    choices = []
    for kind in NotificationKind:
        pref = saved.get(kind.value)
        choices.append(
            default_choice(kind) if pref is None else Choice(kind=kind, in_app=pref.in_app, email=pref.email)
        )
    return choices


def choices_for(*, user_ids: list[int], kind: NotificationKind) -> dict[int, Choice]:
    """Each user's choice for `kind`, in one query."""
    saved = {
        p.user_id: Choice(kind=kind, in_app=p.in_app, email=p.email)
        for p in NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind)
    }
    return {user_id: saved.get(user_id, default_choice(kind)) for user_id in user_ids}


def claims_due(*, now: datetime.datetime, within: datetime.timedelta) -> QuerySet[Claim]:
    """Unfinished, assigned claims due before `now + within` (overdue included) whose assignee has
    not been told about this due date yet, with the assignee still a member of the claim's team."""
    told = Notification.objects.filter(
        kind=NotificationKind.DUE, claim=OuterRef("pk"), recipient=OuterRef("assignee_id"), due_at=OuterRef("due_at")
    )
    member = Membership.objects.filter(team_id=OuterRef("team_id"), user_id=OuterRef("assignee_id"))
    return (
        Claim.objects.filter(
            Exists(member),
            ~Exists(told),
            assignee__isnull=False,
            assignee__is_active=True,
            due_at__isnull=False,
            due_at__lte=now + within,
            status__in=UNFINISHED_STATUSES,
        )
        .select_related("team", "assignee")
        .order_by("due_at", "pk")
    )
