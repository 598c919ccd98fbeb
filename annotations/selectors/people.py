"""Reading people: a team's invitations and set-aside members, and what an invitation link opens."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from annotations.models import Deactivation, Invitation, Membership, Team
from annotations.services.people import token_hash

OPEN, EXPIRED, REVOKED, ACCEPTED, UNKNOWN = "open", "expired", "revoked", "accepted", "unknown"


def invitation_state(invitation: Invitation | None, *, now: datetime.datetime | None = None) -> str:
    if invitation is None:
        return UNKNOWN
    if invitation.accepted_at is not None:
        return ACCEPTED
    if invitation.revoked_at is not None:
        return REVOKED
    if invitation.expires_at <= (now or timezone.now()):
        return EXPIRED
    return OPEN


@dataclass(frozen=True)
class InvitationLink:
    invitation: Invitation | None
    state: str


def invitation_for_link(*, token: str) -> InvitationLink:
    """The invitation a link's token opens, and whether it can still be accepted."""
    invitation = Invitation.objects.select_related("team", "invited_by").filter(token_hash=token_hash(token)).first()
    return InvitationLink(invitation=invitation, state=invitation_state(invitation))


def team_invitations(*, team: Team) -> list[tuple[Invitation, str]]:
    """The team's invitations not yet accepted or revoked (expired ones too: they can be resent)."""
    now = timezone.now()
    rows = Invitation.objects.select_related("invited_by").filter(
        team=team, accepted_at__isnull=True, revoked_at__isnull=True
    )
    return [(invitation, invitation_state(invitation, now=now)) for invitation in rows.order_by("email")]


def team_deactivations(*, team: Team) -> QuerySet[Deactivation]:
    return Deactivation.objects.select_related("user", "deactivated_by").filter(team=team).order_by("user__username")


def deactivated_username(*, team: Team, username: str) -> bool:
    return Deactivation.objects.filter(team=team, user__username=username.strip()).exists()


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.select_related("team").filter(user=user).order_by("team__name")
