"""Redis (cache and broker) down: API token requests are still served; the rate limit holds per process."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import redis
from rest_framework.test import APIClient

from annotations.api import throttling
from annotations.services.api_keys import api_token_create
from tests.faults.conftest import OwnRedis, Site, wait_until


def test_token_requests_are_served_while_redis_is_down_and_counted_there_again_after(
    site: Site, own_redis: OwnRedis
) -> None:
    api = site.token_session()
    claim_url = site.url(f"/api/v1/claims/{site.seed['claim']}/")
    browser = site.browser_session()
    assert api.get(claim_url, timeout=10).status_code == 200

    own_redis.stop()
    try:
        started = time.monotonic()
        statuses = [api.get(claim_url, timeout=10).status_code for _ in range(60)]
        elapsed = time.monotonic() - started
        assert statuses == [200] * 60
        assert browser.get(claim_url, timeout=10).status_code == 200  # sessions never needed Redis
        assert elapsed < 20, f"60 requests took {elapsed:.1f} s with Redis down"
    finally:
        own_redis.start()

    counted = redis.Redis(port=own_redis.port)

    def counted_in_redis_again() -> bool:
        assert api.get(claim_url, timeout=10).status_code == 200
        return bool(counted.keys("*throttle:api_token:*"))

    wait_until(counted_in_redis_again, 20, "the rate limit did not go back to Redis")
    log = site.log.read_text()
    outages = len(re.findall(r"the cache is not answering", log))
    assert 1 <= outages <= 2, log[-3000:]  # one warning per web process at most, not one per request
    print(f"\nRedis down: 60 token requests in {elapsed:.2f} s, all 200; warnings logged: {outages}")


@pytest.mark.django_db
def test_the_rate_limit_still_holds_per_process_while_redis_is_down(
    own_redis: OwnRedis, settings: Any, team: Any, reviewer: Any
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.API_TOKEN_RATE_LIMIT = "3/minute"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=reviewer, name='t').plaintext}")
    url = f"/api/v1/teams/{team.pk}/"
    assert client.get(url).status_code == 200  # counted in Redis
    own_redis.stop()
    try:
        statuses = [client.get(url).status_code for _ in range(4)]
    finally:
        own_redis.start()
        throttling._counters.shared_down_until = 0.0
    # Counted afresh in this process (it cannot know Redis's count): three more, then 429.
    assert statuses == [200, 200, 200, 429]
