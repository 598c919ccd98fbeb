from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_a_key_over_its_rate_gets_429_with_retry_after(
    key_api: Any, token_api: Any, api: Any, team: Any, settings: Any
) -> None:
    settings.API_TOKEN_RATE_LIMIT = "3/minute"
    for _ in range(3):
        assert key_api.get(f"/api/v1/teams/{team.pk}/").status_code == 200
    limited = key_api.get(f"/api/v1/teams/{team.pk}/")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.json()["error"]["code"] == "throttled"
    # Scoped per key: another token and the browser session are not affected.
    assert token_api.get(f"/api/v1/teams/{team.pk}/").status_code == 200
    for _ in range(5):
        assert api.get(f"/api/v1/teams/{team.pk}/").status_code == 200


def test_the_count_starts_again_in_the_next_window(token_api: Any, team: Any, settings: Any, monkeypatch: Any) -> None:
    settings.API_TOKEN_RATE_LIMIT = "2/minute"
    clock = {"now": 6_000_030.0}  # half-way through a one-minute window
    monkeypatch.setattr("annotations.api.throttling.time.time", lambda: clock["now"])
    url = f"/api/v1/teams/{team.pk}/"
    assert [token_api.get(url).status_code for _ in range(3)] == [200, 200, 429]
    limited = token_api.get(url)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "30"
    clock["now"] += 29.5
    assert token_api.get(url).headers["Retry-After"] == "1"
    clock["now"] += 1  # the next window
    assert [token_api.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_no_limit_when_the_rate_is_empty(token_api: Any, team: Any, settings: Any) -> None:
    settings.API_TOKEN_RATE_LIMIT = ""
    assert all(token_api.get(f"/api/v1/teams/{team.pk}/").status_code == 200 for _ in range(5))


def test_the_counter_is_one_small_cache_entry_per_token_and_window(
    token_api: Any, team: Any, settings: Any, monkeypatch: Any
) -> None:
    """Unlike DRF's SimpleRateThrottle, which stores every request's time, the cost does not grow with the rate."""
    from django.core.cache import cache

    settings.API_TOKEN_RATE_LIMIT = "1000/minute"
    monkeypatch.setattr("annotations.api.throttling.time.time", lambda: 7_000_000.0)
    for _ in range(5):
        assert token_api.get(f"/api/v1/teams/{team.pk}/").status_code == 200
    window = int(7_000_000.0 // 60)
    from annotations.models import ApiToken

    key_hash = ApiToken.objects.get(name="test").key_hash
    assert cache.get(f"throttle:api_token:{key_hash[:32]}:60:{window}") == 5
