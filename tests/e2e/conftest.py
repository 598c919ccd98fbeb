"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Reusable by every browser test: `browser`, `login_page(user)` (a page whose session is logged
in), `corpus_articles` (both files of ../shared/corpus imported for a team), `artifacts_dir`,
and `select_span` / `wait_ready` from tests/e2e/helpers.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from annotations.models import Article, Team
from annotations.services.articles import article_create
from tests.conftest import CORPUS_DIR, PROJECT_ROOT

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts"
CORPUS_FILES = ("harbour-budget-unicode.md", "nato-buildup-2021-12-24.md")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session; never downloaded, always Debian's."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts (separate cookie jars) rooted at the live server; closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def login_page(new_context: Callable[..., BrowserContext], live_server: Any) -> Callable[[Any], Page]:
    """`login_page(user)`: a page in its own context, logged in as `user` through a session cookie."""

    def make(user: Any) -> Page:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = new_context()
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        return page

    return make


def corpus_source(name: str) -> str:
    return (CORPUS_DIR / name).read_text(encoding="utf-8")


@pytest.fixture
def corpus_articles(team: Team, reviewer: Any) -> dict[str, Article]:
    """Both corpus articles, imported as they are (the project never copies their text)."""
    return {
        name: article_create(
            team=team,
            user=reviewer,
            title=name.removesuffix(".md"),
            source=corpus_source(name),
            source_format="markdown",
        )
        for name in CORPUS_FILES
    }
