"""Sign-in through the team's identity provider with OpenID Connect (mozilla-django-oidc).

Configured only from the environment (workbench/settings.py): on when OIDC_RP_CLIENT_ID is set.
The provider's endpoints are its discovery document's (OIDC_OP_ISSUER) unless given one by one.
mozilla-django-oidc reads its settings when a backend or view is instantiated, i.e. on each
request, so the settings can change at run time (tests use `settings` / override_settings).

Who the person is: an account whose email matches the provider's verified address (the invited
person signs in this way), else a new account named after `preferred_username` or the address.
Which teams: every open invitation to that address is accepted; a person with neither an
invitation nor a team joins OIDC_DEFAULT_TEAM (if set) with OIDC_DEFAULT_ROLE
(annotations.services.people.oidc_user_joins).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from annotations.services.people import oidc_user_joins

logger = logging.getLogger(__name__)

_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def oidc_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


@functools.lru_cache(maxsize=8)
def _discovery(issuer: str) -> dict[str, Any]:
    response = requests.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
        raise SuspiciousOperation("The provider's discovery document names another issuer.")
    return dict(document)


def endpoint(name: str) -> str:
    """An endpoint of the provider: the setting if given, else the discovery document's."""
    given = str(getattr(settings, name, "") or "")
    if given or not settings.OIDC_OP_ISSUER:
        return given
    return str(_discovery(settings.OIDC_OP_ISSUER).get(_ENDPOINTS[name], ""))


_USERNAME = re.compile(r"[^\w.@+-]")


class WorkbenchOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, idle unless configured, matching accounts by verified email."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not oidc_enabled() or request is None or "code" not in request.GET or "state" not in request.GET:
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = endpoint("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = endpoint("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = endpoint("OIDC_OP_JWKS_ENDPOINT")
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, ValueError) as exc:
            logger.warning("Sign-in through the identity provider failed: %s", exc)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client.")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer.rstrip("/"):
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("email"):
            return False
        return bool(claims.get("email_verified")) or bool(settings.OIDC_TRUST_UNVERIFIED_EMAIL)

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return self.UserModel.objects.filter(email__iexact=claims.get("email", ""), is_active=True)

    def create_user(self, claims: dict[str, Any]) -> Any:
        email = claims["email"]
        user = self.UserModel.objects.create_user(
            self._free_username(claims.get("preferred_username") or email.split("@")[0]),
            email=email,
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user

    def _free_username(self, wanted: str) -> str:
        base = _USERNAME.sub("", wanted)[:140] or "user"
        users = get_user_model().objects
        name, n = base, 1
        while users.filter(username__iexact=name).exists():
            n += 1
            name = f"{base}{n}"
        return name

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            oidc_user_joins(user=user, email=user.email)
        return user


class SignInRedirectView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page (404 while OIDC is not configured)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404("Sign-in through an identity provider is not configured.")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, SuspiciousOperation, ValueError) as exc:
            logger.warning("The identity provider's discovery document could not be read: %s", exc)
            return HttpResponseRedirect(settings.LOGIN_REDIRECT_URL_FAILURE)
        response: HttpResponse = super().get(request)
        return response


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; a state it does not know is a failure."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404("Sign-in through an identity provider is not configured.")
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation as exc:
            logger.warning("Sign-in through the identity provider refused: %s", exc)
            return self.login_failure()
        return response


class SignInView(auth_views.LoginView):
    """Django's sign-in page, offering the identity provider when one is configured."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_enabled()
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        context["oidc_failed"] = self.request.GET.get("oidc") == "failed"
        return context
