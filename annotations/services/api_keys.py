"""API credentials: personal tokens (act as their user) and team read-only keys (for integrators).

The plaintext is returned once, at creation; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotations.access import require_role
from annotations.errors import InvalidInput, NotAllowed
from annotations.models import ApiToken, Membership, Role, Team, TokenKind
from annotations.services.audit import audit_record

TOKEN_PREFIX = "fcw_"  # noqa: S105 - a marker to recognise leaked tokens, not a secret


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str


def _new_secret() -> tuple[str, str]:
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return plaintext, hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("Give the token a name.", field="name")
    if len(name) > 100:
        raise InvalidInput("At most 100 characters.", field="name")
    return name


@transaction.atomic
def api_token_create(*, user: User, name: str) -> IssuedToken:
    """A personal token acting as `user` in every team they belong to."""
    plaintext, key_hash = _new_secret()
    token = ApiToken.objects.create(
        kind=TokenKind.PERSONAL,
        name=_clean_name(name),
        user=user,
        prefix=plaintext[:12],
        key_hash=key_hash,
        created_by=user,
    )
    return IssuedToken(token=token, plaintext=plaintext)


@transaction.atomic
def team_api_key_create(*, team: Team, user: User, name: str) -> IssuedToken:
    """A read-only key seeing `team`. Needs the team's admin role."""
    membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None:
        raise NotAllowed("Only the team's admins can create its API keys.")
    require_role(membership, Role.ADMIN)
    plaintext, key_hash = _new_secret()
    token = ApiToken.objects.create(
        kind=TokenKind.TEAM_READ,
        name=_clean_name(name),
        team=team,
        prefix=plaintext[:12],
        key_hash=key_hash,
        created_by=user,
    )
    audit_record(team=team, actor=user, action="api_key.create", target=token, after={"name": token.name})
    return IssuedToken(token=token, plaintext=plaintext)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: User) -> ApiToken:
    """Revoke a token: one's own personal token, or (as the team's admin) a team key. Idempotent."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.kind == TokenKind.PERSONAL:
        if token.user_id != user.pk:
            raise NotAllowed("Only its owner can revoke a personal token.")
    else:
        membership = Membership.objects.filter(team_id=token.team_id or 0, user=user).first()
        if membership is None:
            raise NotAllowed("Only the team's admins can revoke its API keys.")
        require_role(membership, Role.ADMIN)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        if token.team is not None:
            audit_record(team=token.team, actor=user, action="api_key.revoke", target=token)
    return token
