"""Sockets on the ASGI application, opened with a signed-in user's session cookie."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async  # type: ignore[import-untyped]
from channels.testing import WebsocketCommunicator  # type: ignore[import-untyped]
from django.conf import settings
from django.test import Client

from workbench.asgi import application

ORIGIN = b"http://127.0.0.1:8000"


def session_cookie(user: Any) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


cookie_of = database_sync_to_async(session_cookie)
"""session_cookie from inside an async scenario (on the test's thread)."""


def socket(article_id: int, *, cookie: bytes = b"", origin: bytes = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, f"/ws/articles/{article_id}/", headers=headers)


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    """Run an async scenario from a sync test; its database calls run on this thread (the test's transaction)."""
    return async_to_sync(scenario)()


@pytest.fixture(autouse=True)
def clean_channel_layer() -> None:
    """Every test starts with a fresh layer object (its connections belong to the test's event loop)."""
    from channels.layers import channel_layers  # type: ignore[import-untyped]

    channel_layers.backends.clear()
