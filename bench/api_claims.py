"""Benchmark: an article's claims through the API, against PostgreSQL writing the same JSON alone.

Creates a throwaway database (``bench_api_claims`` on the configured PostgreSQL server; dropped at
the end) with three articles of 100, 1,000 and 10,000 claims, each claim with two sources (one
with a fetched snapshot and evidence) and a current verdict. Serves the app with gunicorn on
127.0.0.1 with the deployed settings (``workbench/gunicorn.py``: 3 sync workers), and has 8
concurrent clients run each scenario in turn, round after round (A B A B …):

- ``page 50``: the first page of 50 claims of the 1,000-claim article, with a personal API token;
- ``raw 50``: one hand-written ``json_agg`` query for the same 50 claims (the same keys, users,
  verdict, sources, snapshots and evidence), straight to PostgreSQL: the floor for that JSON;
- ``full list``: all 1,000 claims in one page of 1,000 (the largest page);
- ``raw 1,000``: the same ``json_agg`` over all 1,000 claims;
- ``page 50 of 100`` and ``page 50 of 10,000``: the first page of the small and of the large article;
- ``page 1``: a page of one claim: what any request to the list costs (token, rate limit, Django).

Each scenario reports its median latency with the range of the round medians, the server's CPU
per request (gunicorn's processes and every PostgreSQL backend of the database, sampled through
the run: ``bench/harness.py``), and the bytes of one response. Targets: page 50 within 2× of
raw 50, the full list within 1.5× of raw 1,000, and page 50 of 10,000 within 1.3× of page 50 of 100
(p50 and CPU). Appends the figures to bench/RESULTS.md.

Run: ``python bench/api_claims.py [--rounds 4] [--requests 10] [--clients 8]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import (  # noqa: E402
    BackendCPU,
    Scenario,
    database_url,
    dsn,
    free_port,
    http_get,
    interleaved,
    machine,
    process_tree_cpu,
    ratio_line,
    start_server,
    stop_server,
)

RESULTS = ROOT / "bench" / "RESULTS.md"
SENTENCE = "The council approved a flood wall costing 48 million euros on Tuesday, the mayor said. "

# The claim JSON of the API, written by hand with json_build_object: what PostgreSQL alone takes.
RAW_JSON_AGG = """
SELECT json_agg(json_build_object(
  'id', c.id, 'article', c.article_id, 'exact', c.exact, 'prefix', c.prefix, 'suffix', c.suffix,
  'start', c.start, 'end', c."end", 'anchor_outcome', c.anchor_outcome, 'anchor_score', c.anchor_score,
  'anchored_revision', c.anchored_revision, 'restated', c.restated,
  'restated_by', (SELECT json_build_object('id', u.id, 'username', u.username) FROM auth_user u
                  WHERE u.id = c.restated_by_id),
  'restated_at', c.restated_at, 'claimant', c.claimant, 'claimant_kind', c.claimant_kind,
  'claim_date', c.claim_date, 'status', c.status, 'status_label', c.status,
  'assignee', (SELECT json_build_object('id', u.id, 'username', u.username) FROM auth_user u
               WHERE u.id = c.assignee_id),
  'priority', c.priority, 'due_at', c.due_at, 'version', c.version,
  'created_by', (SELECT json_build_object('id', u.id, 'username', u.username) FROM auth_user u
                 WHERE u.id = c.created_by_id),
  'created_at', c.created_at, 'updated_at', c.updated_at, 'duplicate_of', c.duplicate_of_id,
  'current_verdict', (
    SELECT json_build_object(
      'id', v.id, 'rating', json_build_object('id', r.id, 'label', r.label, 'value', r.value, 'color', r.color),
      'summary', v.summary, 'rationale', v.rationale,
      'author', (SELECT json_build_object('id', u.id, 'username', u.username) FROM auth_user u
                 WHERE u.id = v.author_id),
      'created_at', v.created_at, 'approved_at', v.approved_at, 'published_at', v.published_at,
      'corrects', v.corrects_id, 'correction_note', v.correction_note, 'withdrawn_at', v.withdrawn_at,
      'retracted_at', v.retracted_at, 'retraction_note', v.retraction_note)
    FROM annotations_verdict v JOIN annotations_rating r ON r.id = v.rating_id
    WHERE v.claim_id = c.id AND v.is_current),
  'sources', coalesce((
    SELECT json_agg(json_build_object(
      'id', s.id, 'claim', s.claim_id, 'url', s.url, 'note', s.note, 'stance', s.stance,
      'added_by', (SELECT json_build_object('id', u.id, 'username', u.username) FROM auth_user u
                   WHERE u.id = s.added_by_id),
      'created_at', s.created_at,
      'snapshot', (SELECT json_build_object(
          'id', n.id, 'status', n.status, 'reason', n.reason, 'http_status', n.http_status, 'title', n.title,
          'final_url', n.final_url, 'sha256', n.sha256, 'content_type', n.content_type, 'size', n.size,
          'fetched_at', n.fetched_at, 'stored_copy_url', NULLIF(n.body, ''))
        FROM annotations_snapshot n WHERE n.id = s.snapshot_id),
      'evidence', s.evidence, 'evidence_pending', s.evidence_pending) ORDER BY s.created_at, s.id)
    FROM annotations_source s WHERE s.claim_id = c.id), '[]'::json)
) ORDER BY c.document_order, c.id)::text
FROM (SELECT * FROM annotations_claim WHERE article_id = %s ORDER BY document_order, id LIMIT %s) c
"""


def team_and_token() -> tuple[Any, Any, str]:
    from django.contrib.auth import get_user_model

    from annotations.models import Membership
    from annotations.services.api_keys import api_token_create
    from annotations.services.teams import team_create

    team = team_create(slug="bench", name="Bench desk")
    user = get_user_model().objects.create_user(username="bench", password="bench-only")
    Membership.objects.create(team=team, user=user, role="editor")
    return team, user, api_token_create(user=user, name="bench").plaintext


def fill_article(
    team: Any,
    user: Any,
    *,
    title: str,
    text: str,
    spans: Callable[[str], list[tuple[int, int]]] | None = None,
    claims: int = 0,
) -> tuple[int, str, list[tuple[int, int]]]:
    """An article of `text` with a claim on each span `spans` picks in the article's text (or `claims`
    claims, one per sentence), each with two sources (one with a fetched snapshot and evidence) and
    a current verdict. Returns the article's id, text and spans. Bulk inserts: the database keeps
    every claim's document order (a generated column) whatever writes it."""
    from annotations.models import Claim, Rating, Snapshot, Source, Verdict
    from annotations.services.articles import article_create

    article = article_create(
        team=team, user=user, title=title, source=text, source_format="text",
        canonical_url=f"https://news.example.org/{title.lower().replace(' ', '-')}",
    )  # fmt: skip
    body = article.text
    step = len(SENTENCE)
    offsets = spans(body) if spans is not None else [(i * step + 4, i * step + 34) for i in range(claims)]
    rows = [
        Claim(
            team=team, article=article, exact=body[start:end], prefix=body[max(0, start - 32) : start],
            suffix=body[end : end + 32], start=start, end=end, restated=f"Claim {i}", claimant="Mayor",
            restated_at=timezone.now(), created_by=user,
        )
        for i, (start, end) in enumerate(offsets)
    ]  # fmt: skip
    Claim.objects.bulk_create(rows, batch_size=2000)
    now = timezone.now()
    snapshots = Snapshot.objects.bulk_create(
        [
            Snapshot(
                team=team, url=f"https://example.org/{article.pk}/report/{i}",
                final_url=f"https://example.org/{article.pk}/report/{i}", status="fetched", http_status=200,
                sha256="a" * 64, title=f"Report {i}", content_type="text/html", size=2048, fetched_at=now,
            )
            for i in range(len(rows))
        ],
        batch_size=2000,
    )  # fmt: skip
    evidence = [{"kind": "quote", "label": "Quote", "found": True, "paragraph": 2, "start": 10, "end": 40,
                 "excerpt": "approved a flood wall costing 48 million"}]  # fmt: skip
    sources = []
    for claim, snapshot in zip(rows, snapshots, strict=True):
        sources.append(Source(team=team, claim=claim, url=snapshot.url, stance="supports", snapshot=snapshot,
                              evidence=evidence, evidence_snapshot=snapshot, added_by=user,
                              note="Minutes"))  # fmt: skip
        sources.append(Source(team=team, claim=claim, url=f"{snapshot.url}/b", stance="refutes", added_by=user))
    Source.objects.bulk_create(sources, batch_size=4000)
    ratings = list(Rating.objects.filter(scale__team=team))
    Verdict.objects.bulk_create(
        [
            Verdict(team=team, claim=claim, rating=ratings[i % len(ratings)], summary="Checked against the minutes.",
                    rationale="The minutes say so.", author=user)
            for i, claim in enumerate(rows)
        ],
        batch_size=2000,
    )  # fmt: skip
    return article.pk, body, offsets


def gunicorn_env(database: str) -> dict[str, str]:
    url = database_url(connection.settings_dict, database)
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "API_TOKEN_RATE_LIMIT": "1000000/minute",  # throttled (counted) like production, never refused
        "LOG_LEVEL": "WARNING",
    }


def gunicorn_argv(port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "-c", "python:workbench.gunicorn", "workbench.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip


def walk(port: int, path: str, headers: dict[str, str]) -> int:
    """Every page of a list, one after the other; the bytes read."""
    total = 0
    next_path: str | None = path
    while next_path:
        body = http_get(port, next_path, headers)
        total += len(body)
        link = orjson.loads(body)["next"]
        next_path = None
        if link:
            parts = urlsplit(link)
            next_path = f"{parts.path}?{parts.query}"
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=10, help="requests per client per round (page scenarios)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="as deployed (workbench/gunicorn.py)")
    args = parser.parse_args()
    connection.settings_dict["TEST"]["NAME"] = "bench_api_claims"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    database = connection.settings_dict["NAME"]
    process = None
    pool: list[psycopg.Connection[Any]] = []
    backends = None
    try:
        team, user, token = team_and_token()
        small, _, _ = fill_article(team, user, title="Small", text=SENTENCE * 100, claims=100)
        medium, _, _ = fill_article(team, user, title="Medium", text=SENTENCE * 1000, claims=1000)
        large, _, _ = fill_article(team, user, title="Large", text=SENTENCE * 10000, claims=10000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        connection.close()
        port = free_port()
        process = start_server(gunicorn_argv(port, args.workers), port=port, env=gunicorn_env(database), cwd=ROOT)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        pool = [psycopg.connect(dsn(connection.settings_dict, database)) for _ in range(args.clients)]
        backends = BackendCPU(dsn(connection.settings_dict, database))
        backends.start()
        master = process.pid

        def cpu() -> tuple[float, float]:
            assert backends is not None
            return process_tree_cpu(master), backends.seconds()

        def raw(article: int, limit: int) -> Any:
            def run(client: int) -> int:
                with pool[client].cursor() as cursor:
                    cursor.execute(RAW_JSON_AGG, [article, limit])
                    return len(cursor.fetchone()[0].encode())  # type: ignore[index]

            return run

        def page(article: int, size: int) -> Any:
            return lambda client: len(http_get(port, f"/api/v1/articles/{article}/claims/?page_size={size}", headers))

        def full(client: int) -> int:
            return walk(port, f"/api/v1/articles/{medium}/claims/?page_size=1000", headers)

        for check in (page(medium, 50), full, raw(medium, 50)):  # warm every worker and connection up
            for i in range(args.clients):
                check(i)
        page50, raw50 = Scenario("page 50", page(medium, 50), cpu), Scenario("raw 50", raw(medium, 50), cpu)
        whole, raw_whole = Scenario("full list", full, cpu), Scenario("raw 1,000", raw(medium, 1000), cpu)
        of_small = Scenario("page 50 of 100", page(small, 50), cpu)
        of_large = Scenario("page 50 of 10,000", page(large, 50), cpu)
        floor = Scenario("page 1", page(medium, 1), cpu)
        together = {"rounds": args.rounds, "clients": args.clients}
        interleaved([page50, raw50, of_small, of_large, floor], **together, per_client=args.requests)
        interleaved([whole, raw_whole], **together, per_client=max(1, args.requests // 4))
        statement_ms = backends.statement_ms()
    finally:
        if backends is not None:
            backends.stop()
        for conn in pool:
            conn.close()
        if process is not None:
            stop_server(process)
        connection.creation.destroy_test_db(old_name, verbosity=0)
    lines = [
        f"- {args.clients} concurrent clients, gunicorn {args.workers} sync workers, personal API token; "
        f"{args.rounds} interleaved rounds of {args.requests} requests per client (full lists: "
        f"{max(1, args.requests // 4)}); each claim has 2 sources (one with a snapshot and evidence) and a verdict",
        *(f"- {s.name}: {s.line()}" for s in (page50, raw50, whole, raw_whole, of_small, of_large, floor)),
        "- " + ratio_line("page 50 / raw 50", page50, raw50, 2.0),
        "- " + ratio_line("full list / raw 1,000", whole, raw_whole, 1.5),
        "- " + ratio_line("page 50 of 10,000 / page 50 of 100", of_large, of_small, 1.3),
        f"- PostgreSQL backends sampled: {backends.seen if backends else 0} seen, "
        f"{backends.ended if backends else 0} ended during the run; pg_stat_statements: "
        + ("not loaded on this server" if statement_ms is None else f"{statement_ms:.0f} ms of statements"),
    ]
    print("\n".join(lines))
    with RESULTS.open("a") as out:
        out.write(
            f"\n## API: an article's claims against PostgreSQL's own json_agg (bench/api_claims.py) "
            f"({timezone.now():%Y-%m-%d})\n\nMachine: {machine(server)}. Other test suites may share the machine.\n\n"
            + "\n".join(lines)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
