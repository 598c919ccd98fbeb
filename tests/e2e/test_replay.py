"""A preserved page replayed inside the workbench by ReplayWeb.page, from the WARC the app wrote
for its fetch, with the network to the original host closed: the page is rendered from the
archive alone, its scripts do not run, and not one request reaches the original host."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import Page, Route, expect

from annotations.archiving.warc import snapshot_warc_name, warc_index, write_warc
from annotations.fetching import Exchange
from annotations.models import Snapshot, SnapshotStatus, Source, Team
from tests.e2e.helpers import serious_violations, wait_ready
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FETCHED_AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


class OriginalHost:
    """The report's own site, on this machine: it records every request that reaches it."""

    def __init__(self) -> None:
        hits = self.hits = list[str]()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<h1 id='headline'>The live site</h1>")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def original_host() -> Iterator[OriginalHost]:
    host = OriginalHost()
    yield host
    host.close()


def report_html(origin: str) -> bytes:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour budget report</title>
<link rel="stylesheet" href="/news/report.css"></head>
<body>
<h1 id="headline">Harbour budget: 6,000 new berths by 2030</h1>
<p id="marker">Printed by the server.</p>
<img src="/news/chart.png" alt="Berths by year">
<script>document.getElementById("marker").textContent = "Changed by a script."; fetch("/beacon");</script>
<p><a id="elsewhere" href="{origin}/news/elsewhere.html">Another report</a></p>
</body></html>""".encode()


def exchange(url: str, content_type: str, body: bytes) -> Exchange:
    path = url.split("/", 3)[3]
    return Exchange(
        url=url,
        ip="127.0.0.1",
        requested_at=FETCHED_AT,
        request_target=f"/{path}",
        request_headers=[("Host", url.split("/")[2]), ("Accept", "*/*")],
        http_version="HTTP/1.1",
        status=200,
        reason="OK",
        response_headers=[("Content-Type", content_type), ("Content-Length", str(len(body)))],
        body=io.BytesIO(body),
        body_size=len(body),
        body_sha256=hashlib.sha256(body).hexdigest(),
    )


@pytest.fixture
def preserved(team: Team, original_host: OriginalHost, settings: Any, tmp_path: Path) -> Snapshot:
    """A fetched report whose WARC (written by the app's own writer) holds the page and its style sheet."""
    settings.MEDIA_ROOT = tmp_path / "media"
    url = f"{original_host.origin}/news/report.html"
    page = report_html(original_host.origin)
    warc = io.BytesIO()
    write_warc(
        warc,
        [
            exchange(url, "text/html; charset=utf-8", page),
            exchange(f"{original_host.origin}/news/report.css", "text/css", b"h1 { color: rgb(170, 0, 0); }"),
        ],
        filename="report.warc.gz",
        info={},
    )
    snapshot = Snapshot(
        team=team,
        url=url,
        final_url=url,
        status=SnapshotStatus.FETCHED,
        http_status=200,
        content_type="text/html; charset=utf-8",
        size=len(page),
        sha256=hashlib.sha256(page).hexdigest(),
        title="Harbour budget report",
        fetched_at=FETCHED_AT,
    )
    snapshot.body.save("report.html", ContentFile(page), save=False)
    snapshot.warc.save("report.warc.gz", ContentFile(warc.getvalue()), save=False)
    snapshot.save()
    # Its CDXJ lines, as the fetch keeps them, name the WARC as a WACZ holds it.
    warc.seek(0)
    snapshot.warc_index = "\n".join(warc_index(warc, filename=snapshot_warc_name(snapshot.pk)))
    snapshot.save(update_fields=["warc_index"])
    return snapshot


def close_the_network_to(page: Page, origin: str) -> list[str]:
    """Abort every request the browser makes to `origin`; the list says which were tried."""
    tried: list[str] = []

    def refuse(route: Route) -> None:
        tried.append(route.request.url)
        route.abort()

    page.context.route(f"{origin}/**", refuse)
    return tried


def test_a_preserved_page_replays_from_its_claims_wacz_with_the_original_host_closed(
    login_page: Callable[[Any], Page],
    reviewer: Any,
    team: Team,
    preserved: Snapshot,
    original_host: OriginalHost,
    artifacts_dir: Path,
) -> None:
    claim = ClaimFactory.create(article=ArticleFactory(team=team))
    Source.objects.create(team=team, claim=claim, url=preserved.url, stance="supports", snapshot=preserved)
    reader = login_page(reviewer)
    tried = close_the_network_to(reader, original_host.origin)

    # From the claim panel's source entry to the replay, in a new tab.
    reader.goto(reverse("article", args=[claim.article_id]))
    wait_ready(reader)
    reader.locator(f"#claim-list button.claim-item[data-claim-id='{claim.pk}']").click()
    dialog = reader.get_by_role("dialog", name=f"Claim #{claim.pk}")
    with reader.expect_popup() as opened:
        dialog.get_by_role("link", name="Replay the preserved page: Harbour budget report").click()
    page = opened.value
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))

    # Opened from the claim, it replays from the claim's WACZ: the fact-check's preserved sources.
    replay_url = reverse("snapshot_replay", args=[preserved.pk])
    expect(page).to_have_url(re.compile(re.escape(f"{replay_url}?claim={claim.pk}") + "$"))
    wacz_url = reverse("claim_wacz", args=[claim.pk])
    expect(page.locator("replay-web-page")).to_have_attribute("source", re.compile(re.escape(wacz_url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour budget report")
    expect(page.get_by_role("status")).to_have_text("The preserved page is shown below, replayed from the archive.")
    replay_frame = page.locator("replay-web-page iframe")
    expect(replay_frame).to_have_attribute("title", f"Replay of Harbour budget report: {preserved.url}")

    replayed = page.frame_locator("replay-web-page iframe").frame_locator("iframe")
    headline = replayed.locator("#headline")
    expect(headline).to_have_text("Harbour budget: 6,000 new berths by 2030", timeout=20_000)
    expect(headline).to_have_css("color", "rgb(170, 0, 0)")  # the style sheet came from the archive
    expect(replayed.locator("#marker")).to_have_text("Printed by the server.")  # its script did not run
    page.screenshot(path=str(artifacts_dir / "replay.png"), full_page=True)

    # A link to a page that was not preserved stays inside the archive.
    replayed.locator("#elsewhere").click()
    page.wait_for_timeout(1000)

    assert original_host.hits == []
    assert tried == []
    assert reader.js_errors == [] and page_errors == []
    assert serious_violations(page) == []


def test_the_replay_page_can_be_reached_with_the_keyboard(
    login_page: Callable[[Any], Page], reviewer: Any, preserved: Snapshot
) -> None:
    page = login_page(reviewer)
    page.goto(reverse("snapshot_replay", args=[preserved.pk]))
    replayed = page.frame_locator("replay-web-page iframe").frame_locator("iframe")
    expect(replayed.locator("#headline")).to_be_visible(timeout=20_000)
    for _ in range(20):
        page.keyboard.press("Tab")
        if replayed.locator("#elsewhere").evaluate("link => link === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the replayed page's link")
