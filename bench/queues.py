"""Benchmark: the review queues with 100,000 claims in one team.

Creates a throwaway database (``bench_queues`` on the configured PostgreSQL server; dropped at
the end), fills one team with CLAIMS claims by COPY, then loads every queue's page and its API
list REQUESTS times each (first page and a deep page through the cursor), recording queries per
request and p50/p99 latency. It also prints EXPLAIN for each queue's list query. Appends the
figures to bench/RESULTS.md. Run: ``DJANGO_DEBUG=1 python bench/queues.py [--claims N]``.
Exits non-zero when the queries per request differ between a small and the full team.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
REQUESTS = 40
STATUSES = [
    ("new", 20),
    ("in_research", 30),
    ("in_review", 15),
    ("changes_requested", 5),
    ("approved", 5),
    ("published", 20),
    ("not_check_worthy", 5),
]
WORDS = [
    "council",
    "budget",
    "flood",
    "wall",
    "river",
    "rose",
    "metres",
    "mayor",
    "unemployment",
    "fell",
    "percent",
    "decade",
    "bridge",
    "port",
    "capacity",
    "troops",
    "rents",
    "doubled",
    "billion",
    "million",
    "hospital",
    "waiting",
    "times",
    "schools",
    "teachers",
]


def fill(claims: int) -> tuple[Any, Any, Any]:
    from django.contrib.auth import get_user_model

    from annotations.models import Membership, Rating, Role
    from annotations.services.articles import article_create
    from annotations.services.teams import team_create

    users = get_user_model().objects

    rng = random.Random(7)
    team = team_create(slug="bench", name="Bench desk")
    other = team_create(slug="other", name="Other desk")
    editor = users.create_user(username="bench-editor")
    Membership.objects.create(team=team, user=editor, role=Role.EDITOR)
    reviewers = [users.create_user(username=f"bench-reviewer-{i}") for i in range(20)]
    Membership.objects.bulk_create(Membership(team=team, user=u, role=Role.REVIEWER) for u in reviewers)
    text = "The council approved a flood wall. " * 40
    articles = [
        article_create(team=t, user=None, title=f"Article {i}", source=text, source_format="text")
        for i, t in enumerate([team] * 200 + [other] * 10)
    ]
    ratings = list(Rating.objects.filter(scale__team=team).values_list("pk", flat=True))
    assignees = [editor.pk] + [u.pk for u in reviewers]
    population = [s for s, weight in STATUSES for _ in range(weight)]
    now = timezone.now()
    buffer = io.StringIO()
    for i in range(claims):
        status = rng.choice(population)
        assignee = None if status == "new" or rng.random() < 0.1 else str(rng.choice(assignees))
        due = None if status == "new" else (now + datetime.timedelta(hours=rng.randint(-96, 240))).isoformat()
        exact = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))) + f" {i}"
        stamp = (now - datetime.timedelta(minutes=claims - i)).isoformat()
        article = articles[i % 200]
        row = [
            str(team.pk), str(article.pk), exact, "", "", "0", "10", "1", "exact", "1.0", "", "", None,
            status, "Opinion." if status == "not_check_worthy" else "", assignee, str(rng.randint(0, 3)), due,
            "1", None, stamp, stamp,
        ]  # fmt: skip
        buffer.write("\t".join("\\N" if v is None else v for v in row) + "\n")
    columns = (
        'team_id, article_id, exact, prefix, suffix, start, "end", anchored_revision, anchor_outcome, anchor_score, '
        "restated, claimant, claim_date, status, not_check_worthy_reason, assignee_id, priority, due_at, version, "
        "created_by_id, created_at, updated_at"
    )
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY annotations_claim ({columns}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute(
            "SELECT id, status, assignee_id, created_at FROM annotations_claim WHERE team_id = %s "
            "AND status IN ('in_review', 'approved', 'published')",
            [team.pk],
        )
        verdicts = io.StringIO()
        for claim_id, status, assignee, created in cursor.fetchall():
            approver = str(editor.pk) if status != "in_review" else "\\N"
            approved = created.isoformat() if status != "in_review" else "\\N"
            published = created.isoformat() if status == "published" else "\\N"
            author = str(assignee) if assignee else "\\N"
            verdicts.write(
                f"{team.pk}\t{claim_id}\t{rng.choice(ratings)}\tSummary.\t\tt\t\t{author}\t"
                f"{approver}\t{approved}\t{published}\t{created.isoformat()}\n"
            )
        with cursor.copy(
            "COPY annotations_verdict (team_id, claim_id, rating_id, summary, rationale, is_current, correction_note, "
            "author_id, approved_by_id, approved_at, published_at, created_at) FROM STDIN"
        ) as copy:
            copy.write(verdicts.getvalue())
        cursor.execute("VACUUM ANALYZE annotations_claim")
        cursor.execute("VACUUM ANALYZE annotations_verdict")
    return team, editor, reviewers[0]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def measure(client: Client, url: str) -> tuple[list[float], set[int], str | None]:
    timings: list[float] = []
    queries: set[int] = set()
    body = None
    client.get(url)  # warm up: templates, connection
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:500])
        queries.add(len(captured.captured_queries))
        body = response
    cursor = None
    if body is not None and body.get("Content-Type", "").startswith("application/json"):
        cursor = body.json().get("next_cursor")
    elif body is not None and body.context is not None:
        page = body.context.get("page")
        cursor = page.next_cursor if page else None
    return timings, queries, cursor


def explain(team: Any, user: Any, queue: str) -> str:
    from annotations.selectors.queues import SORTS, QueueFilters, _filtered, _ordering, queue_condition

    keys = SORTS["due" if queue == "due" else "updated"][1]
    qs = (
        _filtered(team=team, filters=QueueFilters())
        .filter(queue_condition(queue, user=user, now=timezone.now()))
        .order_by(*_ordering(keys))[:51]
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    args = parser.parse_args()
    connection.settings_dict["TEST"]["NAME"] = "bench_queues"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    lines: list[str] = []
    failed = False
    try:
        started = time.perf_counter()
        team, editor, reviewer = fill(args.claims)
        print(f"filled {args.claims} claims in {time.perf_counter() - started:.1f} s")
        from annotations.selectors.queues import QUEUES, queue_counts

        print("counts:", queue_counts(team=team, user=reviewer))
        client = Client()
        client.force_login(reviewer)
        editor_client = Client()
        editor_client.force_login(editor)
        for queue in QUEUES:
            plan = explain(team, reviewer, queue)
            uses_index = "Index" in plan
            print(f"--- EXPLAIN {queue} ({'index' if uses_index else 'NO INDEX'})\n{plan}\n")
            for kind, url in (
                ("page", f"/t/{team.slug}/queues/?queue={queue}"),
                ("api", f"/api/v1/queues/?team={team.pk}&queue={queue}"),
            ):
                who = client if queue == "mine" else editor_client
                try:
                    first, q_first, cursor = measure(who, url)
                except Exception as exc:  # noqa: BLE001 - the API may not be wired yet
                    print(f"{queue} {kind}: FAILED {exc!r:.300}")
                    lines.append(f"| {queue} | {kind} | failed: {type(exc).__name__} | | | |")
                    failed = True
                    continue
                deep_note = ""
                q_deep: set[int] = set()
                deep: list[float] = []
                if cursor:
                    deep, q_deep, _ = measure(who, f"{url}&cursor={cursor}")
                    deep_note = f"{statistics.median(deep):.1f} / {percentile(deep, 99):.1f}"
                queries = sorted(q_first | q_deep)
                line = (
                    f"| {queue} | {kind} | {'/'.join(map(str, queries))} | {statistics.median(first):.1f} | "
                    f"{percentile(first, 99):.1f} | {deep_note or '–'} |"
                )
                print(line)
                lines.append(line)
                if len(queries) > 1:
                    failed = True
        with connection.cursor() as db:
            db.execute("SHOW server_version")
            server = db.fetchone()[0]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    write_results(args.claims, lines, server)
    return 1 if failed else 0


def write_results(claims: int, lines: list[str], pg: str) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    header = "" if RESULTS.exists() else "# Benchmark results\n"
    block = [
        header,
        f"\n## Review queues — {claims:,} claims in one team ({timezone.now():%Y-%m-%d})\n",
        f"Machine: {machine}; PostgreSQL {pg}. `python bench/queues.py`; {REQUESTS} requests per row, "
        "signed in (reviewer for My work, editor otherwise); Django test client, in process (no network).\n",
        "| queue | request | queries per request | p50 ms (first page) | p99 ms (first page) | p50 / p99 ms (page 2) |",
        "| --- | --- | --- | --- | --- | --- |",
        *lines,
        "",
    ]
    with RESULTS.open("a") as out:
        out.write("\n".join(block) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
