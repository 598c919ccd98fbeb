"""Bearer tokens: personal API tokens act as their user; team keys are read-only and see one team.

Only a token's SHA-256 is stored, so a leaked database does not leak usable tokens.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from annotations.models import ApiToken, TokenKind

if TYPE_CHECKING:
    from rest_framework.request import Request

TOUCH_EVERY = datetime.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`. A team key authenticates as an anonymous user holding the key."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User | AnonymousUser, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as `Authorization: Bearer <token>`.")
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        api_token = (
            ApiToken.objects.select_related("user", "team")
            .filter(key_hash=token_hash(token), revoked_at__isnull=True)
            .filter(Q(kind=TokenKind.TEAM_READ) | Q(user__is_active=True))
            .first()
        )
        if api_token is None:
            raise exceptions.AuthenticationFailed("The token is not valid or was revoked.")
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        if api_token.kind == TokenKind.PERSONAL:
            assert api_token.user is not None
            return api_token.user, api_token
        return AnonymousUser(), api_token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "annotations.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal API token or a team API key."}
