"""Rate limits per API token or key (429 with Retry-After). Browser sessions are not limited here.

A fixed window counted in the cache (Redis when the broker is Redis, so every web process shares
it): one small counter per token and window, incremented once per request. DRF's own
SimpleRateThrottle keeps a list of every request's time in the window and reads and rewrites
it whole on each request, which at a few thousand requests a minute costs more than the request.
A fixed window lets a client send up to twice the rate across a window's edge; the limit is a
guard against runaway integrations, not a quota to the request.

When the cache (Redis) does not answer, requests are still served: the window is counted per web
process instead, and Redis is tried again after REDIS_RETRY_SECONDS. Refusing every token request
because a counter is unreachable would turn a Redis outage into an API outage; failing fully open
would drop the guard for as long as Redis is down. Counted per process, a runaway client gets at
most the rate times the number of web processes. One warning is logged per outage.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import BaseThrottle

from annotations.models import ApiToken

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
REDIS_RETRY_SECONDS = 5.0

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=8)
def parse_rate(rate: str) -> tuple[int, int] | None:
    """DRF's rate syntax ("600/minute", "10/s"): (requests, seconds), or None when there is no limit."""
    if not rate:
        return None
    count, _, period = rate.partition("/")
    if not count.strip().isdigit() or period.strip()[:1] not in PERIODS:
        raise ImproperlyConfigured(f'API_TOKEN_RATE_LIMIT: write a rate such as "600/minute", not {rate!r}.')
    return int(count), PERIODS[period.strip()[0]]


class ApiTokenRateThrottle(BaseThrottle):
    scope = "api_token"

    def __init__(self) -> None:
        self.retry_after: float | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        auth = request.auth
        if not isinstance(auth, ApiToken):
            return True
        # Read at request time, so that settings changes (and tests) take effect.
        rate = parse_rate(str(settings.API_TOKEN_RATE_LIMIT))
        if rate is None:
            return True
        limit, duration = rate
        now = time.time()
        window = int(now // duration)
        # The hash, not the row id: unique across databases sharing one cache.
        key = f"throttle:{self.scope}:{auth.key_hash[:32]}:{duration}:{window}"
        count = _counters.count(key, timeout=duration)
        if count <= limit:
            return True
        self.retry_after = (window + 1) * duration - now
        return False

    def wait(self) -> float | None:
        return None if self.retry_after is None else max(1, math.ceil(self.retry_after))


class _Counters:
    """Window counters in the shared cache, or in this process while the cache does not answer."""

    def __init__(self) -> None:
        self.local = LocMemCache("api-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.shared_down_until = 0.0
        self.lock = threading.Lock()

    def count(self, key: str, *, timeout: int) -> int:
        if time.monotonic() >= self.shared_down_until:
            try:
                count = _increment(cache, key, timeout)
            except Exception as exc:  # noqa: BLE001 - any cache failure: count locally, try again later
                with self.lock:
                    if self.shared_down_until == 0.0:
                        logger.warning("API rate limit: the cache is not answering (%s); counting per process.", exc)
                    self.shared_down_until = time.monotonic() + REDIS_RETRY_SECONDS
            else:
                if self.shared_down_until:
                    with self.lock:
                        self.shared_down_until = 0.0
                    logger.warning("API rate limit: the cache answers again; counting in it.")
                return count
        return _increment(self.local, key, timeout)


def _increment(store: Any, key: str, timeout: int) -> int:
    try:
        return int(store.incr(key))
    except ValueError:  # the window's first request
        return 1 if store.add(key, 1, timeout=timeout) else int(store.incr(key))


_counters = _Counters()
