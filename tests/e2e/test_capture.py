"""Capturing a page in the reader's browser: the bookmarklet's workbench window and the extension,
on a page whose article is built by script after load and only for a logged-in reader."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from playwright.sync_api import Browser, Page
from rest_framework.test import APIClient

from annotations.capture.browser import extension_files, write_extension
from annotations.models import Article, ArticleOrigin, Claim
from annotations.services.api_keys import api_token_create
from annotations.views.capture import CAPTURE_JS, EXTENSION_DIR
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.helpers import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

BUILT = (
    "The port authority confirmed on Tuesday that dredging the northern channel will cost 31 million euros, "
    "three times the estimate published in the spring budget."
)
SECOND = (
    "Shipping companies had asked for the work for a decade, arguing that larger vessels now avoid the "
    "harbour altogether and unload in neighbouring ports instead."
)
THIRD = (
    "Council members said they learned of the new figure from the press and asked the authority to publish "
    "the engineering studies behind it before the next vote."
)
SELECTED = "dredging the northern channel will cost 31 million euros"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Channel dredging cost triples</title>
<meta name="author" content="Ines Duarte">
<meta property="article:published_time" content="2025-04-08T09:00:00Z">
<link rel="canonical" href="/news/dredging">
</head><body><nav>Home · Port · Weather</nav><main><article id="story"><h1>Channel dredging cost triples</h1>
<p id="gate">Log in to read this article.</p></article></main>
<script>
window.addEventListener("load", () => {
  if (!document.cookie.split("; ").includes("login=1")) return;
  document.getElementById("gate").remove();
  for (const [id, text] of [["built", "BUILT"], ["second", "SECOND"], ["third", "THIRD"]]) {
    const p = document.createElement("p");
    p.id = id;
    p.textContent = text;
    document.getElementById("story").append(p);
  }
  document.body.dataset.built = "1";
});
</script></body></html>"""
for _name, _text in (("BUILT", BUILT), ("SECOND", SECOND), ("THIRD", THIRD)):
    PAGE = PAGE.replace(f'"{_name}"', json.dumps(_text))

SELECT_IN_BUILT = """(exact) => {
  const node = document.getElementById("built").firstChild;
  const start = node.data.indexOf(exact);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + exact.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString();
}"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/forged"):
            body = b"<!doctype html><html><head><title>x</title></head><body><p>forged</p></body></html>"
        else:
            body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def news_site() -> Iterator[str]:
    """A news page on loopback (another port, so another origin than the workbench)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _open_news(page: Page, site: str) -> None:
    page.context.add_cookies([{"name": "login", "value": "1", "url": site}])
    page.goto(f"{site}/news/dredging?utm_source=feed")
    page.wait_for_selector("body[data-built='1']")
    assert page.evaluate(SELECT_IN_BUILT, SELECTED) == SELECTED


def _assert_captured(article: Article, user: Any) -> Claim:
    assert BUILT in article.text and SECOND in article.text
    assert "Log in to read" not in article.text
    assert article.origin == ArticleOrigin.CAPTURED and article.origin_by == user
    assert article.canonical_url.endswith("/news/dredging")
    claim = Claim.objects.get(article=article)
    assert claim.exact == SELECTED
    assert article.text[claim.start : claim.end] == SELECTED
    return claim


def test_the_bookmarklet_captures_a_script_built_page_with_the_selection(
    login_page: Any, reviewer: Any, team: Any, news_site: str, live_server: Any
) -> None:
    page = login_page(reviewer)
    page.goto(f"{live_server.url}/t/{team.slug}/capture/")
    assert serious_violations(page) == []
    href = page.get_attribute("#bookmarklet", "href")
    assert href is not None and href.startswith("javascript:")
    _open_news(page, news_site)
    with page.context.expect_page() as opened:
        page.evaluate(unquote(href[len("javascript:") :]))
    window = opened.value
    window.wait_for_url(f"{live_server.url}/articles/*/", timeout=20_000)
    article = Article.objects.get(team=team)
    claim = _assert_captured(article, reviewer)
    client = APIClient()
    client.force_login(reviewer)
    answer = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert answer["exact"] == SELECTED
    assert "Captured in a browser by" in window.inner_text("#article-provenance")


def test_the_workbench_window_ignores_a_capture_from_another_origin(
    login_page: Any, reviewer: Any, team: Any, news_site: str, live_server: Any
) -> None:
    page = login_page(reviewer)
    other = news_site.replace("localhost", "127.0.0.1")
    page.goto(f"{other}/forged")
    declared = news_site  # the window is told to expect the real site; the message comes from another origin
    with page.context.expect_page() as opened:
        page.evaluate(
            "(url) => { window.w = window.open(url, '_blank'); }",
            f"{live_server.url}/t/{team.slug}/capture/window/?origin={declared}",
        )
    window = opened.value
    window.wait_for_load_state()
    window.wait_for_selector("#capture-status:has-text('Waiting')")
    assert serious_violations(window) == []
    page.evaluate(
        """(site) => window.w.postMessage({type: "workbench-capture", nonce: "guess", capture: {
             url: site + "/news/dredging", html: "<p>forged</p>", title: "Forged"}}, "*")""",
        declared,
    )
    window.wait_for_selector("#capture-ignored:not([hidden])")
    assert "was ignored" in window.inner_text("#capture-ignored")
    assert not Article.objects.exists()


def test_the_extension_captures_the_page_with_an_api_token(
    browser: Browser, reviewer: Any, team: Any, news_site: str, live_server: Any, tmp_path: Path
) -> None:
    token = api_token_create(user=reviewer, name="extension").plaintext
    files = extension_files(extension_dir=EXTENSION_DIR, capture_js=CAPTURE_JS, origin=live_server.url, team_id=team.pk)
    extension = write_extension(files, tmp_path / "extension")
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        headless=False,
        args=[
            *CHROMIUM_ARGS,
            "--headless=new",
            f"--disable-extensions-except={extension}",
            f"--load-extension={extension}",
        ],
    )
    try:
        context.set_default_timeout(15_000)
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        worker.evaluate("(token) => chrome.storage.local.set({token})", token)
        page = context.new_page()
        _open_news(page, news_site)
        tab = worker.evaluate(
            "async (url) => (await chrome.tabs.query({})).find((t) => t.url && t.url.startsWith(url)).id",
            news_site,
        )
        with context.expect_page() as opened:
            result = worker.evaluate("(tab) => captureTab(tab)", tab)
        assert result["ok"], result
        assert result["body"]["selection"]["state"] == "placed"
        opened.value.wait_for_load_state()
        assert f"/articles/{result['body']['article']['id']}/" in opened.value.url
    finally:
        context.close()
    article = Article.objects.get(team=team)
    _assert_captured(article, reviewer)
