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
