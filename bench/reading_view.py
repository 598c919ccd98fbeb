"""Benchmark: the reading view in Chromium, from navigation to every highlight drawn.

Creates a throwaway database (``bench_reading_view`` on the configured PostgreSQL server; dropped
at the end) with two articles of the same ~1 MB text: one with CLAIMS claims (random spans, some
across paragraphs, many overlapping; a third with a verdict), one with none. Serves the app with
gunicorn on 127.0.0.1 with the deployed settings (``workbench/gunicorn.py``, DEBUG off, static
files collected into a temporary directory) and opens each article in headless Chromium
(CHROMIUM_PATH or /usr/bin/chromium, through Playwright; nothing is downloaded), signed in.

A run is one navigation in a fresh tab of one browser context (the scripts and styles are cached,
as for a reviewer who has opened an article before). The time is the page's own clock
(performance.now(), from navigation start) when ``data-reader-ready`` appears on the body, which
the reading view sets once every highlight is drawn, and, beside it, at the next frame. Runs
alternate between the two articles (A B A B …) after a warm-up of each; the figures are medians
with min–max, and the ratio of the medians.

Run: ``python bench/reading_view.py [--claims 1000] [--runs 9]``. Targets: with claims at most
1.5× the article without, and at most 400 ms median. Prints the figures and appends them to
bench/RESULTS.md; exits non-zero when a target is missed. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
# The session this process signs in with is read by the server: both sign with this key.
os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY = "bench-only-not-a-secret"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402
from render_highlights import SENTENCES  # noqa: E402  (the same kinds of text: scripts, emoji, marks)

RESULTS = ROOT / "bench" / "RESULTS.md"
TARGET_RATIO, TARGET_MS = 1.5, 400.0
TEXT_SIZE = 1_000_000  # code points of reader text


# Records, in the page's own clock, when the reading view marks itself ready and the next frame.
READY_PROBE = """
new MutationObserver((_, observer) => {
  if (!document.body || document.body.dataset.readerReady !== "1") return;
  observer.disconnect();
  window.__readyAt = performance.now();
  requestAnimationFrame(() => setTimeout(() => { window.__frameAt = performance.now(); }, 0));
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-reader-ready"] });
"""
MEASURES = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const highlights = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/highlights/"));
  return {
    ready: window.__readyAt,
    frame: window.__frameAt,
    html: nav.responseEnd,
    parsed: nav.domInteractive,
    dom: nav.domContentLoadedEventEnd,
    highlights: highlights ? highlights.responseEnd - highlights.startTime : null,
    draw: Number(document.getElementById("article-text").dataset.highlightMs || 0),
    marks: document.querySelectorAll("#article-text mark.claim").length,
    listed: document.querySelectorAll("#claim-list button.claim-item").length,
  };
}"""


def article_markdown(rng: random.Random) -> str:
    paragraphs: list[str] = []
    size = 0
    while size < TEXT_SIZE:
        paragraph = " ".join(rng.choice(SENTENCES) for _ in range(6))
        paragraphs.append(paragraph)
        size += len(paragraph) - paragraph.count("*") - 30  # roughly what the markup leaves
    return "\n\n".join(paragraphs)


def fill(claims: int) -> tuple[int, int, Any, dict[str, int]]:
    """The two articles and a signed-in user; returns their ids, the user and the text's figures."""
    from django.contrib.auth import get_user_model

    from annotations.anchoring import selectors_for_span
    from annotations.models import Claim, ClaimStatus, Membership, Rating, Verdict
    from annotations.services.articles import article_create
    from annotations.services.teams import team_create

    rng = random.Random(13)
    team = team_create(slug="bench", name="Bench desk")
    user = get_user_model().objects.create_user(username="bench", password="bench-only")
    Membership.objects.create(team=team, user=user, role="editor")
    source = article_markdown(rng)
    marked = article_create(team=team, user=user, title="With claims", source=source, source_format="markdown")
    empty = article_create(team=team, user=user, title="Without claims", source=source, source_format="markdown")
    text = marked.text
    statuses = [ClaimStatus.NEW, ClaimStatus.IN_RESEARCH, ClaimStatus.IN_REVIEW]
    rows = []
    for i in range(claims):
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randrange(8, 160)  # some cross paragraphs, many overlap
        while text[start].isspace():
            start += 1
        selectors, position = selectors_for_span(text, start, end)
        rows.append(
            Claim(
                team=team, article=marked, exact=selectors.exact, prefix=selectors.prefix, suffix=selectors.suffix,
                start=position.start, end=position.end, status=statuses[i % 3], created_by=user,
            )
        )  # fmt: skip
    Claim.objects.bulk_create(rows, batch_size=1000)
    ratings = list(Rating.objects.filter(scale__team=team))
    Verdict.objects.bulk_create(
        [
            Verdict(team=team, claim=claim, rating=ratings[i % len(ratings)], summary="Checked.", author=user)
            for i, claim in enumerate(rows)
            if claim.status == ClaimStatus.IN_REVIEW
        ],
        batch_size=1000,
    )
    figures = {"code_points": len(text), "bytes": len(text.encode()), "blocks": len(marked.layout["blocks"])}
    return marked.pk, empty.pk, user, figures


def database_url() -> str:
    s = connection.settings_dict
    user, password = quote(s.get("USER") or ""), quote(s.get("PASSWORD") or "")
    host = s.get("HOST") or s.get("OPTIONS", {}).get("host") or ""
    if host.startswith("/"):
        return f"postgresql://{user}:{password}@/{s['NAME']}?host={quote(host)}"
    return f"postgresql://{user}:{password}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(port: int, static_root: str) -> subprocess.Popen[bytes]:
    """gunicorn with the deployed settings, its static files collected into `static_root` first."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "0",  # plain http on the loopback
        "DJANGO_STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(manage, cwd=ROOT, env=env, check=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:workbench.gunicorn", "workbench.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("gunicorn did not start")


def warm_up(port: int, session: str, paths: list[str]) -> None:
    """Every gunicorn worker serves each path a few times (a worker's first big page is slow)."""
    for _ in range(4):
        for path in paths:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"})
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                raise RuntimeError(f"{path}: {response.status}")


def open_article(browser_context: Any, base: str, article_id: int) -> dict[str, Any]:
    page = browser_context.new_page()
    try:
        page.goto(f"{base}/articles/{article_id}/", wait_until="commit")
        page.wait_for_function("() => window.__frameAt !== undefined", timeout=60_000)
        return page.evaluate(MEASURES)
    finally:
        page.close()


def summary(values: list[float]) -> str:
    return f"median **{statistics.median(values):.0f} ms** (min {min(values):.0f}, max {max(values):.0f})"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=9, help="navigations per article, interleaved")
    parser.add_argument("--no-record", action="store_true", help="print the figures only")
    args = parser.parse_args()
    connection.settings_dict["TEST"]["NAME"] = "bench_reading_view"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    process = None
    runs: dict[str, list[dict[str, Any]]] = {"claims": [], "none": []}
    try:
        marked, empty, user, figures = fill(args.claims)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        port = free_port()
        with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
            process = serve(port, static_root)
            base = f"http://127.0.0.1:{port}"
            warm_up(
                port,
                session,
                [
                    f"/{kind}articles/{a}/{tail}"
                    for a in (marked, empty)
                    for kind, tail in (("", ""), ("api/v1/", "highlights/"))
                ],
            )
            with sync_playwright() as playwright:
                browser: Browser = playwright.chromium.launch(
                    executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
                )
                version = browser.version
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
                context.add_init_script(READY_PROBE)
                for _ in range(2):  # warm up the caches, the workers and the browser
                    open_article(context, base, marked)
                    open_article(context, base, empty)
                for i in range(args.runs):
                    order = (
                        [("claims", marked), ("none", empty)] if i % 2 == 0 else [("none", empty), ("claims", marked)]
                    )
                    for name, article_id in order:
                        runs[name].append(open_article(context, base, article_id))
                browser.close()
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        connection.creation.destroy_test_db(old_name, verbosity=0)

    with_claims = [r["ready"] for r in runs["claims"]]
    without = [r["ready"] for r in runs["none"]]
    ratio = statistics.median(with_claims) / statistics.median(without)
    met = ratio <= TARGET_RATIO and statistics.median(with_claims) <= TARGET_MS
    marks, listed = runs["claims"][-1]["marks"], runs["claims"][-1]["listed"]
    lines = [
        f"article: {figures['code_points']:,} code points ({figures['bytes']:,} bytes UTF-8) in {figures['blocks']:,} "
        f"blocks; {args.claims:,} claims (a third with a verdict) -> {marks:,} mark elements, {listed:,} listed",
        f"gunicorn 3 sync workers (workbench/gunicorn.py) on 127.0.0.1, DEBUG off; Chromium {version} headless; "
        f"{args.runs} navigations of each article, interleaved, after 2 warm-up rounds",
        f"navigation -> highlights drawn (`data-reader-ready`), 1,000 claims: {summary(with_claims)}",
        f"navigation -> highlights drawn, same article without claims: {summary(without)}",
        f"ratio of the medians: **{ratio:.2f}×** (target ≤ {TARGET_RATIO}×); "
        f"with claims ≤ {TARGET_MS:.0f} ms: {'met' if met else 'NOT met'}",
        "to the next frame: "
        + ", ".join(
            f"{label} {summary([r['frame'] for r in runs[name]])}"
            for label, name in (("claims", "claims"), ("none", "none"))
        ),
        "where the time goes (medians, claims / none): "
        + "; ".join(
            f"{label} {statistics.median(r[key] or 0 for r in runs['claims']):.0f} / "
            f"{statistics.median(r[key] or 0 for r in runs['none']):.0f} ms"
            for label, key in (
                ("HTML received", "html"),
                ("HTML parsed", "parsed"),
                ("DOMContentLoaded (scripts run)", "dom"),
                ("highlights request", "highlights"),
                ("placing and wrapping the marks", "draw"),
            )
        ),
    ]
    print("\n".join(lines))
    if args.no_record:
        return 0 if met else 1
    header = "" if RESULTS.exists() else "# Benchmark results\n"
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(
            f"{header}\n## Reading view: navigation to highlights drawn (bench/reading_view.py) "
            f"({timezone.now():%Y-%m-%d})\n\nMachine: {machine()}, Python {platform.python_version()}, "
            f"PostgreSQL {server} (same machine). Other test suites may share the machine.\n\n"
            + "\n".join(f"- {line}" for line in lines)
            + "\n"
        )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
