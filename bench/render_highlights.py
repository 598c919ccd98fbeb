"""Benchmark: render an article with 1,000 claim highlights in headless Chromium.

Target: <= 300 ms for the highlight rendering (median of 5), measured in the page with
performance.now() around what the reading view does on load: place every claim
(claims.js: quote check, re-anchor if needed), wrap the marks (text-map.js) and lay the page out.
Run: ``python bench/render_highlights.py`` (uses CHROMIUM_PATH or /usr/bin/chromium; nothing is
downloaded). Prints the figures and appends them to bench/RESULTS.md. Exits non-zero when the
target is missed. A benchmark, not a test.
"""

from __future__ import annotations

import datetime
import json
import mimetypes
import os
import platform
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Route, sync_playwright  # noqa: E402

from annotations.anchoring import reader_document, render_reading_html, selectors_for_span  # noqa: E402

TARGET_MS = 300.0
HIGHLIGHTS = 1_000
PARAGRAPHS = 150
RUNS = 5
ORIGIN = "http://bench.invalid"

SENTENCES = [
    "The council approved a budget of €1.2 billion on Thursday, the mayor’s office said.",
    "Café owners said rents rose 14\u202f% in a year; the family 👨‍👩‍👧 runs the oldest bakery.",
    "A delegation from 大阪市 said its metro carries 2.4 million riders a day.",
    "The port director said «الميناء سيضاعف طاقته بحلول 2030» on the radio.",
    "Opposition members 🇪🇺 claimed that *not one new bus* was ordered in 2025.",
    "The debt is now **€640 million**, up from €410 million, see [the statement](https://example.org/s).",
]


def article_markdown(rng: random.Random) -> str:
    return "\n\n".join(" ".join(rng.choice(SENTENCES) for _ in range(6)) for _ in range(PARAGRAPHS))


def claim_spans(text: str, rng: random.Random) -> list[dict[str, object]]:
    claims = []
    for claim_id in range(1, HIGHLIGHTS + 1):
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randrange(8, 160)  # some cross paragraphs, many overlap
        quote, position = selectors_for_span(text, start, end)
        claims.append(
            {
                "id": claim_id,
                "exact": quote.exact,
                "prefix": quote.prefix,
                "suffix": quote.suffix,
                "start": position.start,
                "end": position.end,
                "anchor_outcome": "exact",
                "anchor_score": 1.0,
            }
        )
    return claims


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="/css/app.css"></head><body><main><div class="reader-layout"><article class="reader">
<div id="article-text" class="article-text">{html}</div></article><aside></aside></div></main>
<script type="module">
import {{ arrangeClaims }} from "/js/claims.js";
import {{ CodePointIndex }} from "/js/codepoints.js";
import {{ clearHighlights, highlightMany }} from "/js/text-map.js";
const data = await (await fetch("/bench-data.json")).json();
const root = document.getElementById("article-text");
const index = new CodePointIndex(data.text);
const runs = [];
let marks = 0;
for (let run = 0; run < {runs}; run += 1) {{
  clearHighlights(root);
  root.offsetHeight;
  const t0 = performance.now();
  const arranged = arrangeClaims(index, data.claims);
  const spans = arranged.placed.map(({{ claim, place }}) => ({{ id: claim.id, start: place.start, end: place.end }}));
  highlightMany(root, spans);
  root.offsetHeight;  // include style and layout of the new marks
  runs.push(performance.now() - t0);
  marks = root.querySelectorAll("mark.claim").length;
}}
window.benchResult = {{ runs, marks, claims: data.claims.length }};
</script></body></html>"""


def machine_description() -> str:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines() if ln.startswith("model name")]
        cpu = models[0] if models else ""
    system = f"{platform.system()} {platform.release()} {platform.machine()}"
    return f"{system}, {os.cpu_count()} CPUs ({cpu or 'unknown CPU'})"


def record_result(title: str, lines: list[str]) -> None:
    """Append a dated section to bench/RESULTS.md (created if missing)."""
    results = ROOT / "bench" / "RESULTS.md"
    head = "" if results.exists() else "# Benchmark results\n"
    section = [f"\n## {title} ({datetime.date.today().isoformat()})\n", f"Machine: {machine_description()}.\n"]
    section += [f"- {line}" for line in lines]
    with results.open("a", encoding="utf-8") as out:
        out.write(head + "\n".join(section) + "\n")


def main() -> int:
    rng = random.Random(4)
    document = reader_document(article_markdown(rng), "markdown")
    claims = claim_spans(document.text, rng)
    page_html = PAGE.format(html=render_reading_html(document), runs=RUNS)
    payload = json.dumps({"text": document.text, "claims": claims})

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/":
            route.fulfill(body=page_html, content_type="text/html; charset=utf-8")
        elif path == "/bench-data.json":
            route.fulfill(body=payload, content_type="application/json")
        else:
            file = (ROOT / "frontend" / path.lstrip("/")).resolve()
            if not file.is_relative_to(ROOT / "frontend") or not file.is_file():
                route.fulfill(status=404, body="")
                return
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if file.suffix == ".js":
                content_type = "text/javascript"
            route.fulfill(body=file.read_bytes(), content_type=content_type)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route(f"{ORIGIN}/**", serve)
        page.goto(f"{ORIGIN}/")
        page.wait_for_function("window.benchResult !== undefined", timeout=120_000)
        result = page.evaluate("window.benchResult")
        version = browser.version
        browser.close()

    runs = result["runs"]
    median = statistics.median(runs)
    ok = median <= TARGET_MS
    lines = [
        f"article: {len(document.text):,} code points in {len(document.blocks)} blocks; "
        f"{result['claims']:,} claims -> {result['marks']:,} mark elements",
        f"highlight rendering (place + wrap + layout), {RUNS} runs: "
        f"best {min(runs):.1f} ms, median {median:.1f} ms, worst {max(runs):.1f} ms",
        f"target <= {TARGET_MS:.0f} ms: {'met' if ok else 'MISSED'}",
    ]
    print("\n".join(lines))
    record_result(
        "Render 1,000 highlights in Chromium (bench/render_highlights.py)",
        [*lines, f"browser: Chromium {version} (headless)"],
    )
    print(f"machine: {machine_description()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
