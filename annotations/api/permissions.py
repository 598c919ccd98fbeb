"""Who is calling and what they may do: a member (session or personal token) or a team's read-only key.

Every API view declares the action of each method (`policy = {"GET": "claim.read", …}`, see
annotations.policy). PolicyPermission refuses an undeclared method, a team key where the action is
not a read, and an anonymous caller where the action is not public; the Caller's fetchers then
check the action against the object's team (404 for another team's, 403 for a role too low).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import permissions
from rest_framework.exceptions import MethodNotAllowed

from annotations import policy
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


def declared_action(view: APIView, method: str) -> str | None:
    declared = policy.route_actions(type(view))
    action = declared.get(method.upper())
    if action is None and method.upper() in ("HEAD", "OPTIONS"):
        action = declared.get("GET")
    return action


class PolicyPermission(permissions.BasePermission):
    """The view's declared action for the method decides who may call it at all (see annotations.policy)."""

    message = "This route declares no action."

    def has_permission(self, request: Request, view: APIView) -> bool:
        action = declared_action(view, request.method or "GET")
        if action is None:
            if (request.method or "GET").lower() not in {method.lower() for method in view.allowed_methods}:
                # The resource does not answer this method, whoever asks: 405 with Allow (RFC 9110 15.5.6).
                raise MethodNotAllowed(request.method or "")
            self.message = "This route declares no action."
            return False
        request.policy_action = action  # type: ignore[attr-defined]
        request._request.policy_action = action  # type: ignore[attr-defined]
        rule = policy.rule(action)
        if rule.audience == policy.PUBLIC:
            return True
        if team_key(request) is not None:
            self.message = "A team API key is read-only: it cannot do this."
            return rule.team_key
        self.message = "Sign in, or send an API token."
        return bool(request.user and request.user.is_authenticated)


@dataclass(frozen=True)
class Caller:
    """The teams a request may see, and the user acting (None for a team key).

    `team`, `article` and `claim` fetch the object with the request's declared action checked.
    """

    user: User | None
    key: ApiToken | None
    request: Request | None = None

    def team_ids(self) -> QuerySet[Team]:
        if self.key is not None:
            return Team.objects.filter(pk=self.key.team_id or 0)
        if self.user is None:
            return Team.objects.none()
        return teams_for_user(user=self.user)

    def teams(self) -> QuerySet[Team]:
        return self.team_ids()

    def team(self, team_id: int) -> Team:
        return policy.team_for(self.request, team_id=team_id)[0]

    def membership(self, team_id: int) -> Membership | None:
        if self.user is None:
            return None
        return Membership.objects.filter(team_id=team_id, user=self.user).first()

    def article(self, article_id: int, *, for_update: bool = False, defer: tuple[str, ...] = ()) -> Article:
        return policy.article_for(self.request, article_id, for_update=for_update, defer=defer)

    def claim(self, claim_id: int, *, action: str | None = None) -> Claim:
        return policy.claim_for(self.request, claim_id, action=action)

    def acting_user(self) -> User:
        """The member behind a write. Team keys never reach writes (PolicyPermission)."""
        if self.user is None:
            raise Http404("No such object.")
        return self.user


def caller(request: Request) -> Caller:
    key = team_key(request)
    user = request.user if key is None and request.user.is_authenticated else None
    assert user is None or isinstance(user, User)
    return Caller(user=user, key=key, request=request)
