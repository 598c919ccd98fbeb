"""A strict Content-Security-Policy on every HTML page, and pages that live within it.

Every page route (from the URL resolver, so new pages are covered) is fetched as a team admin:
its HTML answer carries the policy, and its markup has no inline script (JSON data blocks
excepted), no <style> element and no style attribute, which the policy would block. In Chromium,
the reading view and the API docs work under the policy with no violation reported.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from annotations.models import Role, Snapshot
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory

REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
    "base-uri": "'none'",
}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy(header: str) -> dict[str, str]:
    return {name: value.strip() for name, _, value in (d.strip().partition(" ") for d in header.split(";") if d)}


def assert_strict(header: str) -> None:
    directives = policy(header)
    for name, value in REQUIRED.items():
        assert directives.get(name) == value, (name, header)
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, header


class InlineCode(HTMLParser):
    """What a strict policy would block in a page: inline scripts, <style>, style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes:
            self.found.append(f"<{tag} style=…>")
        if any(name.startswith("on") for name in attributes):
            self.found.append(f"<{tag} on…=…> (an inline event handler)")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not attributes.get("src") and attributes.get("type") not in DATA_SCRIPT_TYPES:
            self.in_script = tag

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = None


def page_routes() -> list[str]:
    """Every route outside the API (its docs page included) and Django admin (its index only)."""
    routes: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                routes.append(route)

    walk(get_resolver().url_patterns, "")
    pages = [r for r in routes if not r.startswith(("api/", "admin/")) or r.startswith("api/v1/docs")]
    return [*pages, "admin/"]


@pytest.fixture
def admin_client(db: None) -> Iterator[tuple[Client, dict[str, Any]]]:
    team = TeamFactory()
    user = MembershipFactory(team=team, user=UserFactory(is_staff=True, is_superuser=True), role=Role.ADMIN).user
    claim = ClaimFactory(article=ArticleFactory(team=team))
    snapshot = Snapshot.objects.create(
        team=team, url="https://example.org/r", status="fetched", text="Report.", sha256="0" * 64
    )
    values = {
        "team_slug": team.slug,
        "article_id": claim.article_id,
        "claim_id": claim.pk,
        "snapshot_id": snapshot.pk,
        "member_id": user.pk,
    }
    client = Client()
    client.force_login(user)
    yield client, values


def fill(route: str, values: dict[str, Any]) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: str(values.get(m.group(2), 1)), route)


@pytest.mark.parametrize("route", page_routes())
def test_every_html_page_has_a_strict_policy_and_nothing_inline(route: str, admin_client: Any) -> None:
    client, values = admin_client
    response = client.get(fill(route, values), follow=True)
    if not response.get("Content-Type", "").startswith("text/html") or response.status_code == 404:
        return  # not a page (JSON, a download), or Django's debug 404 page (django-csp skips it under DEBUG)
    assert_strict(response["Content-Security-Policy"])
    inline = InlineCode()
    inline.feed(response.content.decode())
    assert not inline.found, (route, inline.found)


@pytest.mark.django_db
def test_the_pages_people_see_before_signing_in_have_the_policy_too(client: Client) -> None:
    for path in ("/login/", "/api/v1/docs/", "/admin/login/"):
        response = client.get(path)
        assert response.status_code == 200
        assert_strict(response["Content-Security-Policy"])
        inline = InlineCode()
        inline.feed(response.content.decode())
        assert not inline.found, (path, inline.found)


def test_the_try_again_and_sign_in_paused_pages_have_nothing_inline(rf: Any) -> None:
    from django.template.loader import render_to_string

    from workbench.middleware import database_unavailable

    pages = {
        "503": database_unavailable(rf.get("/t/desk/")).content.decode(),
        "locked out": render_to_string(
            "registration/locked_out.html", {"failure_limit": 5, "cooloff_timedelta": datetime.timedelta(minutes=15)}
        ),
    }
    for name, html in pages.items():
        inline = InlineCode()
        inline.feed(html)
        assert not inline.found and 'role="alert"' in html, (name, inline.found)


# --- In Chromium: the pages work under the policy and report no violation. --------------------
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def browse(base_url: str, session_cookie: dict[str, str], visits: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Visit pages in Debian's Chromium; what the policy blocked, the console and page errors.

    Runs in a thread of its own, so it works beside the browser tests' session-wide Playwright.
    """
    from playwright.sync_api import sync_playwright

    found: dict[str, list[str]] = {"violations": [], "console": [], "errors": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        try:
            context = browser.new_context(base_url=base_url)
            context.add_cookies([{"name": session_cookie["name"], "value": session_cookie["value"], "url": base_url}])
            context.add_init_script(COLLECT_VIOLATIONS)
            page = context.new_page()
            page.on("console", lambda message: found["console"].append(message.text))
            page.on("pageerror", lambda error: found["errors"].append(str(error)))
            for path, ready in visits:
                page.goto(path)
                page.wait_for_selector(ready, timeout=20_000)
                found["violations"] += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
        finally:
            browser.close()
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reading_view_and_api_docs_work_under_the_policy_in_chromium(live_server: Any) -> None:
    from django.conf import settings

    team = TeamFactory()
    user = MembershipFactory(team=team, user=UserFactory(), role=Role.ADMIN).user
    claim = ClaimFactory(article=ArticleFactory(team=team))
    client = Client()
    client.force_login(user)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    visits = [
        (f"/articles/{claim.article_id}/", f"#article-text mark.claim[data-claim-id='{claim.pk}']"),
        (f"/t/{team.slug}/queues/?queue=all", "main h1"),
        ("/api/v1/docs/", ".swagger-ui .opblock"),
    ]
    with ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(browse, live_server.url, cookie, visits).result(timeout=120)
    assert not found["violations"], found["violations"]
    assert not [text for text in found["console"] if "Content Security Policy" in text], found["console"]
    assert not found["errors"], found["errors"]
