"""Sign-in throttling (django-axes): per user name and per address, a clear message, an admin's unlock."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.test import Client

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.usefixtures("sign_in_throttling")


@pytest.fixture(autouse=True)
def limit(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3


def sign_in(username: str, password: str, address: str = "203.0.113.7") -> Any:
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def test_after_the_limit_even_the_right_password_is_refused_with_a_clear_message() -> None:
    user = UserFactory(username="rita")
    for _ in range(2):
        assert sign_in("rita", "guess").status_code == 200  # the form again, with its error
    locked = sign_in("rita", "guess")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in is paused" in page and "after 3 failed attempts" in page and "Try again in 15 minutes" in page
    assert 'role="alert"' in page and 'href="/login/"' in page
    right = sign_in(user.username, TEST_PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in right.client.session


def test_one_address_trying_many_accounts_is_paused() -> None:
    UserFactory(username="eddie")
    for name in ("a", "b", "c"):
        sign_in(name, "guess", address="198.51.100.9")
    assert sign_in("eddie", TEST_PASSWORD, address="198.51.100.9").status_code == 429
    assert sign_in("eddie", TEST_PASSWORD, address="198.51.100.10").status_code == 302  # another address


def test_one_account_tried_from_many_addresses_is_paused() -> None:
    UserFactory(username="olga")
    for last in (1, 2, 3):
        sign_in("olga", "guess", address=f"192.0.2.{last}")
    assert sign_in("olga", TEST_PASSWORD, address="192.0.2.200").status_code == 429


def test_an_admin_lifts_the_pause_in_django_admin() -> None:
    UserFactory(username="rita")
    for _ in range(3):
        sign_in("rita", "guess")
    assert sign_in("rita", TEST_PASSWORD).status_code == 429
    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listed = admin.get("/admin/axes/accessattempt/")
    assert listed.status_code == 200 and "rita" in listed.content.decode()
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    confirmed = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert confirmed.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in("rita", TEST_PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(settings: Any) -> None:
    settings.AXES_CLIENT_IP_CALLABLE = "workbench.middleware.client_address"
    UserFactory(username="eddie")

    def through_proxy(username: str, password: str, client_address: str) -> Any:
        # The client may send its own X-Forwarded-For; the proxy appends the address it saw.
        forwarded = f"10.9.9.9, {client_address}"
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).post(
            "/login/", {"username": username, "password": password}
        )

    for name in ("a", "b", "c"):
        through_proxy(name, "guess", "198.51.100.9")
    assert through_proxy("eddie", TEST_PASSWORD, "198.51.100.9").status_code == 429
    # Others behind the same proxy are not paused with them.
    assert through_proxy("eddie", TEST_PASSWORD, "198.51.100.77").status_code == 302
