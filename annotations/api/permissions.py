"""Who is calling and what they may see: a member (session or personal token) or a team's read-only key.

Every object is fetched through these helpers, filtered by the caller's teams, so another team's
object is a 404. Writes need a member; the services then check the member's role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import permissions

from annotations.access import teams_for_user
from annotations.models import ApiToken, Article, Claim, Membership, Team, TokenKind

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def team_key(request: Request) -> ApiToken | None:
    auth = request.auth
    if isinstance(auth, ApiToken) and auth.kind == TokenKind.TEAM_READ:
        return auth
    return None


class IsMemberOrTeamKey(permissions.BasePermission):
    """A signed-in member or a personal token for anything; a team key for reading only."""

    message = "A team API key is read-only."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if team_key(request) is not None:
            return request.method in permissions.SAFE_METHODS
        return bool(request.user and request.user.is_authenticated)


@dataclass(frozen=True)
class Caller:
    """The teams a request may see, and the user acting (None for a team key)."""

    user: User | None
    key: ApiToken | None

    def team_ids(self) -> QuerySet[Team]:
        if self.key is not None:
            return Team.objects.filter(pk=self.key.team_id or 0)
        if self.user is None:
            return Team.objects.none()
        return teams_for_user(user=self.user)

    def teams(self) -> QuerySet[Team]:
        return self.team_ids()

    def team(self, team_id: int) -> Team:
        team = self.teams().filter(pk=team_id).first()
        if team is None:
            raise Http404("No such team.")
        return team

    def membership(self, team_id: int) -> Membership | None:
        if self.user is None:
            return None
        return Membership.objects.filter(team_id=team_id, user=self.user).first()

    def article(self, article_id: int) -> Article:
        article = Article.objects.select_related("team").filter(pk=article_id, team__in=self.team_ids()).first()
        if article is None:
            raise Http404("No such article.")
        return article

    def claim(self, claim_id: int) -> Claim:
        claim = Claim.objects.select_related("team", "article").filter(pk=claim_id, team__in=self.team_ids()).first()
        if claim is None:
            raise Http404("No such claim.")
        return claim

    def acting_user(self) -> User:
        """The member behind a write. Team keys never reach writes (IsMemberOrTeamKey)."""
        if self.user is None:
            raise Http404("No such object.")
        return self.user


def caller(request: Request) -> Caller:
    key = team_key(request)
    user = request.user if key is None and request.user.is_authenticated else None
    assert user is None or isinstance(user, User)
    return Caller(user=user, key=key)


class IsMember(permissions.BasePermission):
    """A signed-in member or a personal token; team keys are refused (credential and hook management)."""

    message = "A team API key cannot manage credentials or webhooks."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return team_key(request) is None and bool(request.user and request.user.is_authenticated)
