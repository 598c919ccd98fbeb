"""Rate limits per API token or key (429 with Retry-After). Browser sessions are not limited here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from annotations.models import ApiToken

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class ApiTokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self) -> str | None:
        # Read at request time, so that settings changes (and tests) take effect.
        return str(settings.API_TOKEN_RATE_LIMIT) or None

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        # The hash, not the row id: unique across databases sharing one cache.
        return f"throttle_{self.scope}_{request.auth.key_hash[:32]}"
