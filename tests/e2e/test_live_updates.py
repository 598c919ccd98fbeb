"""Live updates pushed over WebSocket: a colleague's save reaches an open reading view within a
second, deletions as fast as additions, and the page falls back to polling while the socket is down.

pytest-django's live server speaks WSGI only, so these pages are served by daphne (what `make run`
and the compose web service run) in a child process on the test database. Each figure is measured
from the moment the colleague's save is answered (and so committed) to the moment the reader's
page has redrawn its highlights, on one clock (both pages run in one browser); the figures from
the moment the save is sent are printed too.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from playwright.sync_api import Browser, Page

from annotations.models import Article
from annotations.services.articles import article_create
from tests.conftest import PROJECT_ROOT, database_url
from tests.e2e.helpers import wait_ready
from tests.factories import ARTICLE_SOURCE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVES = 10
POLLED_SAVES = 5
TARGET_MS = 1000

# Records, in the reader's page, when each claim's highlight first appears and when it goes.
WATCH_HIGHLIGHTS = """
() => {
  const root = document.getElementById("article-text");
  const seen = (window.liveSeen = { added: {}, removed: {} });
  new MutationObserver(() => {
    const now = Date.now();
    const ids = new Set(Array.from(root.querySelectorAll("mark.claim[data-claim-id]"), (m) => m.dataset.claimId));
    for (const id of ids) if (!(id in seen.added)) seen.added[id] = now;
    for (const id of Object.keys(seen.added)) if (!ids.has(id) && !(id in seen.removed)) seen.removed[id] = now;
  }).observe(root, { childList: true, subtree: true });
}
"""

MARK = """
async ({ articleId, start, end, exact, revision }) => {
  const { api } = await import("/static/js/api.js");
  const sentAt = Date.now();
  const claim = await api(`articles/${articleId}/claims/`, { method: "POST", body: { start, end, exact, revision } });
  return { id: claim.id, version: claim.version, sentAt, savedAt: Date.now() };
}
"""

DELETE = """
async ({ id, version }) => {
  const { api } = await import("/static/js/api.js");
  const sentAt = Date.now();
  await api(`claims/${id}/`, { method: "DELETE", headers: { "If-Match": `"${version}"` } });
  return { sentAt, savedAt: Date.now() };
}
"""

# Lets a test drop the page's sockets and refuse new ones, as a network outage or a web restart would.
SOCKET_SWITCH = """
(() => {
  const Real = window.WebSocket;
  window.liveSockets = [];
  window.liveSocketsRefused = false;
  window.WebSocket = class extends Real {
    constructor(...args) {
      if (window.liveSocketsRefused) throw new Error("refused by the test");
      super(...args);
      window.liveSockets.push(this);
    }
  };
})();
"""


class AsgiServer:
    def __init__(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def asgi_server(django_db_setup: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AsgiServer]:
    """daphne serving workbench.asgi on the test database, as `make run` serves it."""
    port = free_port()
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url(connection.settings_dict)
    env["DJANGO_DEBUG"] = "1"
    env.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "workbench.asgi:application"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            urllib.request.urlopen(f"{url}/login/", timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                raise AssertionError(f"daphne did not start: {log.read_text()[-3000:]}") from None
            time.sleep(0.2)
    yield AsgiServer(url, process, log)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def asgi_page(browser: Browser, asgi_server: AsgiServer) -> Iterator[Callable[..., Page]]:
    """`asgi_page(user, init_script=None)`: a page in its own context on daphne, signed in as `user`."""
    contexts = []

    def make(user: Any, init_script: str | None = None) -> Page:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = browser.new_context(base_url=asgi_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": asgi_server.url}])
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def article(team: Any, reviewer: Any) -> Article:
    return article_create(team=team, user=reviewer, title="Flood wall", source=ARTICLE_SOURCE, source_format="markdown")


def open_reader(page: Page, article: Article, mode: str) -> None:
    page.goto(f"/articles/{article.pk}/")
    wait_ready(page)
    page.wait_for_selector(f"body[data-live-mode='{mode}']")
    page.evaluate(WATCH_HIGHLIGHTS)


def words(article: Article) -> list[tuple[int, int, str]]:
    """Spans of distinct words of the article's text, to mark one claim each."""
    article.refresh_from_db()
    found: dict[str, tuple[int, int, str]] = {}
    for match in re.finditer(r"\w{4,}", article.text):
        found.setdefault(match.group(), (match.start(), match.end(), match.group()))
    return list(found.values())


def seen(page: Page, kind: str, claim_id: int, timeout_ms: int) -> int:
    """When the reader's page drew (`added`) or dropped (`removed`) the claim's highlight (epoch ms)."""
    page.wait_for_function(
        "([kind, id]) => window.liveSeen[kind][String(id)] !== undefined", arg=[kind, claim_id], timeout=timeout_ms
    )
    return int(page.evaluate("([kind, id]) => window.liveSeen[kind][String(id)]", [kind, claim_id]))


def measure(
    colleague: Page, reader: Page, article: Article, saves: int, timeout_ms: int, spread_s: float = 0.0
) -> dict[str, list[int]]:
    """Mark `saves` claims from the colleague's page, each then deleted; the latency of each, in ms.

    "added" and "removed" count from the moment the save was answered (committed) to the redraw;
    the "from the request" figures also count the save request itself. Each save waits a random
    part of `spread_s` first, so that saves do not keep step with the reader's polling.
    """
    jitter = random.Random(17)
    latencies: dict[str, list[int]] = {
        "added": [],
        "removed": [],
        "added, from the request": [],
        "removed, from the request": [],
    }
    for start, end, exact in words(article)[:saves]:
        time.sleep(jitter.uniform(0, spread_s))
        claim = colleague.evaluate(
            MARK, {"articleId": article.pk, "start": start, "end": end, "exact": exact, "revision": article.revision}
        )
        added = seen(reader, "added", claim["id"], timeout_ms)
        latencies["added"].append(added - claim["savedAt"])
        latencies["added, from the request"].append(added - claim["sentAt"])
        time.sleep(jitter.uniform(0, spread_s))
        deleted = colleague.evaluate(DELETE, {"id": claim["id"], "version": claim["version"]})
        removed = seen(reader, "removed", claim["id"], timeout_ms)
        latencies["removed"].append(removed - deleted["savedAt"])
        latencies["removed, from the request"].append(removed - deleted["sentAt"])
    return latencies


def summary(label: str, latencies: dict[str, list[int]]) -> dict[str, tuple[float, float]]:
    figures = {}
    for kind, values in latencies.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        figures[kind] = (statistics.median(ordered), float(p95))
        print(f"\n{label} {kind}: n={len(ordered)} p50={figures[kind][0]:.0f} ms p95={p95:.0f} ms max={ordered[-1]} ms")
    return figures


def test_a_colleagues_saves_and_deletions_reach_an_open_page_within_a_second(asgi_page, article, reviewer, editor):
    reader = asgi_page(reviewer)
    open_reader(reader, article, "socket")
    colleague = asgi_page(editor)
    open_reader(colleague, article, "socket")

    figures = summary("WebSocket", measure(colleague, reader, article, SAVES, timeout_ms=5000))

    assert figures["added"][1] <= TARGET_MS
    assert figures["removed"][1] <= TARGET_MS
    assert reader.js_errors == [] and colleague.js_errors == []


def test_while_the_socket_is_down_the_page_polls_then_reconnects(asgi_page, article, reviewer, editor):
    reader = asgi_page(reviewer, init_script=SOCKET_SWITCH)
    open_reader(reader, article, "socket")
    colleague = asgi_page(editor)
    open_reader(colleague, article, "socket")

    # The connection drops and cannot be made again for now: the page polls.
    reader.evaluate("() => { window.liveSocketsRefused = true; for (const s of window.liveSockets) s.close(); }")
    reader.wait_for_selector("body[data-live-mode='polling']")
    figures = summary(
        "Polling fallback", measure(colleague, reader, article, POLLED_SAVES, timeout_ms=8000, spread_s=3.0)
    )
    assert figures["added"][1] <= 3000 + TARGET_MS
    assert figures["removed"][1] <= 3000 + TARGET_MS

    # The socket is opened again (with backoff) and changes are pushed once more.
    reader.evaluate("() => { window.liveSocketsRefused = false; window.dispatchEvent(new Event('online')); }")
    reader.wait_for_selector("body[data-live-mode='socket']")
    start, end, exact = words(article)[POLLED_SAVES]
    claim = colleague.evaluate(
        MARK, {"articleId": article.pk, "start": start, "end": end, "exact": exact, "revision": article.revision}
    )
    assert seen(reader, "added", claim["id"], 5000) - claim["savedAt"] <= TARGET_MS
    assert reader.js_errors == [] and colleague.js_errors == []
