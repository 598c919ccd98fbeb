"""Fetch an object together with the team check, so that no view can forget team isolation.

Another team's object is reported as missing (404), so its existence does not leak.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from annotations.errors import NotAllowed
from annotations.models import Article, Claim, Membership, Role, Snapshot, Team

AnyUser = User | AnonymousUser

ROLE_RANK = {Role.REVIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


def teams_for_user(*, user: AnyUser) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).order_by("slug")


def membership_for_user(*, user: AnyUser, team_slug: str) -> Membership:
    if not user.is_authenticated:
        raise Http404("No such team.")
    try:
        return Membership.objects.select_related("team").get(user=user, team__slug=team_slug)
    except Membership.DoesNotExist as exc:
        raise Http404("No such team.") from exc


def require_role(membership: Membership, role: str) -> None:
    """Raise NotAllowed unless the member's role is at least `role` (reviewer < editor < admin)."""
    if ROLE_RANK[Role(membership.role)] < ROLE_RANK[Role(role)]:
        raise NotAllowed(f"This needs the {Role(role).label.lower()} role.")


def article_for_user(*, user: AnyUser, article_id: int) -> Article:
    if not user.is_authenticated:
        raise Http404("No such article.")
    try:
        return Article.objects.select_related("team").get(pk=article_id, team__memberships__user=user)
    except Article.DoesNotExist as exc:
        raise Http404("No such article.") from exc


def claim_for_user(*, user: AnyUser, claim_id: int, for_update: bool = False) -> Claim:
    """The claim, if the user is in its team. With for_update, the row is locked: call inside a transaction."""
    if not user.is_authenticated:
        raise Http404("No such claim.")
    claims = Claim.objects.filter(pk=claim_id, team__memberships__user=user)
    if for_update:
        claims = claims.select_for_update(of=("self",))
    try:
        return claims.select_related("team", "article").get()
    except Claim.DoesNotExist as exc:
        raise Http404("No such claim.") from exc


def snapshot_for_user(*, user: AnyUser, snapshot_id: int) -> Snapshot:
    """The snapshot, if the user is in its team; another team's snapshot is missing (404)."""
    if not user.is_authenticated:
        raise Http404("No such snapshot.")
    try:
        return Snapshot.objects.select_related("team").get(pk=snapshot_id, team__memberships__user=user)
    except Snapshot.DoesNotExist as exc:
        raise Http404("No such snapshot.") from exc
