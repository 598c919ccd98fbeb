"""Benchmark: list an article's 1,000 claims, with their sources and verdicts, through the API.

Creates a throwaway database (``bench_api_claims`` on the configured PostgreSQL server; dropped
at the end) with one article of CLAIMS claims, each with two sources (one with a fetched
snapshot) and a current verdict, then serves the app with gunicorn on 127.0.0.1, with the
deployed settings (``workbench/gunicorn.py``), and has 8 concurrent clients walk the article's
claim list (``/api/v1/articles/{id}/claims/``, cursor pages of PAGE_SIZE) with a personal API
token. Every page is parsed and checked (orjson, so that the clients, which share the machine,
take as little CPU from the server as they can). Reports p50/p99 per request and per full walk of
the 1,000 claims, the CPU time per request of the gunicorn processes and of the PostgreSQL
backends serving them, and appends the figures to bench/RESULTS.md.

Run: ``python bench/api_claims.py [--claims 1000] [--clients 8] [--walks 15] [--page-size 50]``.
Targets: p50 ≤ 50 ms and p99 ≤ 150 ms per request.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
TARGET_P50, TARGET_P99 = 50.0, 150.0


def fill(claims: int) -> tuple[int, str]:
    from django.contrib.auth import get_user_model

    from annotations.models import Claim, Membership, Rating, Snapshot, Source, Verdict
    from annotations.services.api_keys import api_token_create
    from annotations.services.articles import article_create
    from annotations.services.teams import team_create

    team = team_create(slug="bench", name="Bench desk")
    user = get_user_model().objects.create_user(username="bench", password="bench-only")
    Membership.objects.create(team=team, user=user, role="editor")
    sentence = "The council approved a flood wall costing 48 million euros on Tuesday, the mayor said. "
    article = article_create(
        team=team, user=user, title="Bench article", source=sentence * claims, source_format="text",
        canonical_url="https://news.example.org/bench",
    )  # fmt: skip
    step = len(sentence)
    rows = [
        Claim(
            team=team, article=article, exact=article.text[i * step + 4 : i * step + 34],
            prefix=article.text[max(0, i * step - 28) : i * step + 4],
            suffix=article.text[i * step + 34 : i * step + 66],
            start=i * step + 4, end=i * step + 34, restated=f"Claim {i}", claimant="Mayor", created_by=user,
        )
        for i in range(claims)
    ]  # fmt: skip
    Claim.objects.bulk_create(rows, batch_size=1000)
    now = timezone.now()
    snapshots = Snapshot.objects.bulk_create(
        [
            Snapshot(
                team=team, url=f"https://example.org/report/{i}", final_url=f"https://example.org/report/{i}",
                status="fetched", http_status=200, sha256="a" * 64, title=f"Report {i}", content_type="text/html",
                size=2048, fetched_at=now,
            )
            for i in range(claims)
        ],
        batch_size=1000,
    )  # fmt: skip
    evidence = [{"kind": "quote", "label": "Quote", "found": True, "paragraph": 2, "start": 10, "end": 40,
                 "excerpt": "approved a flood wall costing 48 million"}]  # fmt: skip
    sources = []
    for claim, snapshot in zip(rows, snapshots, strict=True):
        sources.append(Source(team=team, claim=claim, url=snapshot.url, stance="supports", snapshot=snapshot,
                              evidence=evidence, added_by=user, note="Minutes"))  # fmt: skip
        sources.append(Source(team=team, claim=claim, url=f"{snapshot.url}/b", stance="refutes", added_by=user))
    Source.objects.bulk_create(sources, batch_size=2000)
    ratings = list(Rating.objects.filter(scale__team=team))
    Verdict.objects.bulk_create(
        [
            Verdict(team=team, claim=claim, rating=ratings[i % len(ratings)], summary="Checked against the minutes.",
                    rationale="The minutes say so.", author=user)
            for i, claim in enumerate(rows)
        ],
        batch_size=1000,
    )  # fmt: skip
    return article.pk, api_token_create(user=user, name="bench").plaintext


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


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "API_TOKEN_RATE_LIMIT": "1000000/minute",  # throttled (counted) like production, never refused
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:workbench.gunicorn", "workbench.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads), "--log-level", "warning"],
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


def get(port: int, path: str, token: str) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")
    return elapsed, orjson.loads(body)


def walk(port: int, article_id: int, token: str, page_size: int) -> tuple[list[float], int]:
    times: list[float] = []
    count = 0
    path: str | None = f"/api/v1/articles/{article_id}/claims/?page_size={page_size}"
    while path:
        elapsed, body = get(port, path, token)
        times.append(elapsed)
        count += len(body["results"])
        assert all(c["current_verdict"] and len(c["sources"]) == 2 for c in body["results"])
        path = None
        if body["next"]:
            parts = urlsplit(body["next"])
            path = f"{parts.path}?{parts.query}"
    return times, count


def _cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes have used so far; processes that are gone count 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _server_pids(master: int) -> list[int]:
    """gunicorn's master and workers."""
    pids = [master]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _database_pids() -> list[int]:
    """The PostgreSQL backends serving the benchmark's database (gunicorn's persistent connections)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--walks", type=int, default=15, help="full walks of the list per client")
    parser.add_argument("--page-size", type=int, default=50, help="the API default")
    parser.add_argument("--workers", type=int, default=3, help="as deployed (workbench/gunicorn.py)")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    connection.settings_dict["TEST"]["NAME"] = "bench_api_claims"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    process = None
    try:
        article_id, token = fill(args.claims)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        port = free_port()
        process = start_gunicorn(port, args.workers, args.threads)
        for _ in range(3):  # warm every worker up
            walk(port, article_id, token, args.page_size)
        requests: list[float] = []
        walks: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def client() -> None:
            for _ in range(args.walks):
                started = time.perf_counter()
                try:
                    times, count = walk(port, article_id, token, args.page_size)
                except Exception as exc:  # noqa: BLE001 - reported below
                    with lock:
                        errors.append(repr(exc))
                    return
                with lock:
                    requests.extend(times)
                    walks.append((time.perf_counter() - started) * 1000)
                assert count == args.claims

        web_pids, db_pids = _server_pids(process.pid), _database_pids()
        web_cpu, db_cpu = _cpu_seconds(web_pids), _cpu_seconds(db_pids)
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        web_cpu, db_cpu = _cpu_seconds(web_pids) - web_cpu, _cpu_seconds(db_pids) - db_cpu
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        connection.creation.destroy_test_db(old_name, verbosity=0)
    if errors:
        print("errors:", errors[:3])
        return 1
    p50, p99 = statistics.median(requests), percentile(requests, 99)
    met = p50 <= TARGET_P50 and p99 <= TARGET_P99
    worker_kind = "sync" if args.threads == 1 else f"gthread, {args.threads} threads"
    summary = [
        f"- {args.claims:,} claims, each with 2 sources (one with a fetched snapshot and evidence) "
        "and a current verdict",
        f"- gunicorn {args.workers} workers ({worker_kind}) on 127.0.0.1; {args.clients} concurrent clients, "
        f"each walking the whole list {args.walks} times in pages of {args.page_size} with a personal API token",
        f"- per request (one page of {args.page_size} claims): p50 **{p50:.1f} ms**, p99 **{p99:.1f} ms** "
        f"over {len(requests):,} requests; target p50 ≤ {TARGET_P50:.0f} ms, p99 ≤ {TARGET_P99:.0f} ms: "
        f"{'met' if met else 'NOT met'}",
        f"- CPU per request: {(web_cpu + db_cpu) / len(requests) * 1000:.2f} ms "
        f"(gunicorn {web_cpu / len(requests) * 1000:.2f} ms, PostgreSQL {db_cpu / len(requests) * 1000:.2f} ms)",
        f"- per full list of {args.claims:,} claims ({len(walks)} walks): p50 {statistics.median(walks):.1f} ms, "
        f"p99 {percentile(walks, 99):.1f} ms; throughput {len(requests) / wall:.1f} requests/s",
    ]
    print("\n".join(summary))
    machine = (
        f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPUs "
        f"({_cpu_model()}), Python {platform.python_version()}, PostgreSQL {server} "
        "(same machine)"
    )
    header = "" if RESULTS.exists() else "# Benchmark results\n"
    with RESULTS.open("a") as out:
        out.write(
            f"{header}\n## API: an article's claims with sources and verdicts (bench/api_claims.py) "
            f"({timezone.now():%Y-%m-%d})\n\nMachine: {machine}. Other test suites may share the machine.\n\n"
            + "\n".join(summary)
            + "\n"
        )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
