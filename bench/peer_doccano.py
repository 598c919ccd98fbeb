"""Benchmark: the workbench beside doccano 1.8.4: the same document, spans, PostgreSQL and gunicorn.

Installs doccano 1.8.4 into its own virtual environment (``var/doccano-venv``; beside it doccano
needs ``marshmallow<3.24``, ``numpy<2`` and ``psycopg2-binary``), creates two throwaway databases
on the configured PostgreSQL server (``bench_peer_doccano`` and ``bench_peer_workbench``, dropped
at the end), and loads the same ~87,000-character document and the same 1,000 span offsets into
both: a doccano sequence-labelling project with one example and 1,000 spans, and a workbench
article with 1,000 claims, each with two sources (one with a snapshot and evidence) and a current
verdict (``bench/api_claims.py``). Serves both under gunicorn with 3 sync workers each and has 8
concurrent clients run, round after round (A B C A B C …):

- doccano's span list: ``GET /v1/projects/{project}/examples/{example}/spans`` (all spans of the
  example, unpaginated, token authentication);
- the workbench's highlights: ``GET /api/v1/articles/{id}/highlights/`` (every claim's span,
  status, rating and anchor outcome; a personal API token);
- the workbench's full claim list: ``GET /api/v1/articles/{id}/claims/?page_size=1000``, one page.

Prints each one's median latency with the range of the round medians, the server CPU per request
(the gunicorn processes and every PostgreSQL backend of its database, sampled through the run:
``bench/harness.py``), the bytes of one response, and the ratios. Target: the highlights at least
3× faster than doccano's span list, in p50 and in server CPU. Appends the figures to
bench/RESULTS.md. doccano is installed on the first run only; none of it is part of ``make test``.

Run: ``python bench/peer_doccano.py [--rounds 4] [--requests 10] [--clients 8]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

import api_claims  # noqa: E402  (sets Django up)
import psycopg  # noqa: E402
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

VENV = ROOT / "var" / "doccano-venv"
REQUIREMENTS = ["doccano==1.8.4", "marshmallow<3.24", "numpy<2", "psycopg2-binary"]
DOCCANO_DB = "bench_peer_doccano"
WORKBENCH_DB = "bench_peer_workbench"
CHARACTERS, SPANS = 87_000, 1_000

# Runs in doccano's own Python, inside its backend directory: migrate, then load the data.
DOCCANO_LOAD = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("create_roles")
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from examples.models import Example
from label_types.models import SpanType
from labels.models import Span
from projects.models import SequenceLabelingProject
data = json.load(open(sys.argv[1]))
user = User.objects.create_superuser("bench", "bench@example.org", "bench-only")
project = SequenceLabelingProject.objects.create(
    name="Bench", description="bench", project_type="SequenceLabeling", created_by=user
)
project.add_admin()
example = Example.objects.create(project=project, text=data["text"], upload_name="bench.txt")
label = SpanType.objects.create(project=project, text="claim")
Span.objects.bulk_create(
    [Span(example=example, label=label, user=user, start_offset=s, end_offset=e) for s, e in data["spans"]]
)
print(json.dumps({"project": project.pk, "example": example.pk, "token": Token.objects.create(user=user).key}))
"""


def document() -> str:
    """About CHARACTERS characters of news-like prose in paragraphs, the same on every run."""
    rng = random.Random(87)
    subjects = ["The council", "The mayor", "A spokeswoman", "The harbour authority", "Residents", "The minister"]
    verbs = ["said", "claimed", "announced", "denied", "estimated", "reported"]
    objects = [
        "that the flood wall would cost {n} million euros", "that {n} homes were flooded in April",
        "that river levels rose by {n} centimetres", "that {n} per cent of the budget was spent",
        "that the works would take {n} months", "that {n} jobs depended on the port",
    ]  # fmt: skip
    paragraphs: list[str] = []
    length = 0
    while length < CHARACTERS:
        sentences = [
            f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects).format(n=rng.randint(2, 480))}."
            for _ in range(rng.randint(3, 7))
        ]
        paragraphs.append(" ".join(sentences))
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:CHARACTERS].rsplit(" ", 1)[0] + "."


def spans(text: str) -> list[tuple[int, int]]:
    """SPANS spans of 20 to 40 characters, spread evenly over the text, none overlapping."""
    rng = random.Random(1000)
    step = len(text) // SPANS
    return [
        (i * step + (offset := rng.randint(0, step - 41)), i * step + offset + rng.randint(20, 40))
        for i in range(SPANS)
    ]


def install_doccano() -> Path:
    python = VENV / "bin" / "python"
    if (
        not (VENV / "bin" / "gunicorn").exists()
        or subprocess.run([str(python), "-c", "import backend"], capture_output=True, check=False).returncode
    ):
        print(f"installing doccano 1.8.4 into {VENV} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS], check=True)
    found = subprocess.run(
        [str(python), "-c", "import backend, os; print(os.path.dirname(backend.__file__))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return Path(found.stdout.strip())


def doccano_env(url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-not-a-secret",
        "DEBUG": "False",
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=10, help="requests per client per round")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    backend = install_doccano()
    settings = dict(connection.settings_dict)
    server_dsn = dsn(settings, "postgres")
    text = document()

    connection.settings_dict["TEST"]["NAME"] = WORKBENCH_DB
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    processes: list[subprocess.Popen[bytes]] = []
    samplers: list[BackendCPU] = []
    try:
        team, user, token = api_claims.team_and_token()
        article, body, offsets = api_claims.fill_article(team, user, title="Peer", text=text, spans=spans)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        connection.close()

        with psycopg.connect(server_dsn, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DOCCANO_DB}")
            admin.execute(f"CREATE DATABASE {DOCCANO_DB}")
        url = database_url(settings, DOCCANO_DB)
        doccano_url = f"{url}{'&' if '?' in url else '?'}sslmode=disable"
        with tempfile.NamedTemporaryFile("w", suffix=".json") as data:
            json.dump({"text": body, "spans": offsets}, data)
            data.flush()
            loaded = subprocess.run(
                [str(VENV / "bin" / "python"), "-c", DOCCANO_LOAD, data.name],
                cwd=backend, env=doccano_env(doccano_url), capture_output=True, text=True, check=False,
            )  # fmt: skip
            if loaded.returncode != 0:
                raise SystemExit(f"doccano could not load the document:\n{loaded.stderr}")
        ids = json.loads(loaded.stdout.strip().splitlines()[-1])
        with psycopg.connect(dsn(settings, DOCCANO_DB), autocommit=True) as db:
            db.execute("ANALYZE")

        doccano_port, workbench_port = free_port(), free_port()
        doccano = start_server(
            [str(VENV / "bin" / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{doccano_port}",
             "--workers", str(args.workers), "--log-level", "warning"],
            port=doccano_port, env=doccano_env(doccano_url), cwd=backend,
        )  # fmt: skip
        processes.append(doccano)
        workbench = start_server(
            api_claims.gunicorn_argv(workbench_port, args.workers),
            port=workbench_port, env=api_claims.gunicorn_env(WORKBENCH_DB), cwd=ROOT,
        )  # fmt: skip
        processes.append(workbench)
        doccano_cpu, workbench_cpu = BackendCPU(dsn(settings, DOCCANO_DB)), BackendCPU(dsn(settings, WORKBENCH_DB))
        samplers += [doccano_cpu, workbench_cpu]
        for sampler in samplers:
            sampler.start()

        doccano_headers = {"Authorization": f"Token {ids['token']}", "Accept": "application/json"}
        workbench_headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        span_list = f"/v1/projects/{ids['project']}/examples/{ids['example']}/spans"
        highlights = f"/api/v1/articles/{article}/highlights/"

        def span_list_run(client: int) -> int:
            return len(http_get(doccano_port, span_list, doccano_headers))

        def highlights_run(client: int) -> int:
            return len(http_get(workbench_port, highlights, workbench_headers))

        def full_run(client: int) -> int:
            return api_claims.walk(
                workbench_port, f"/api/v1/articles/{article}/claims/?page_size=1000", workbench_headers
            )

        assert len(json.loads(http_get(doccano_port, span_list, doccano_headers))) == SPANS
        assert len(json.loads(http_get(workbench_port, highlights, workbench_headers))["claims"]) == SPANS
        for run in (span_list_run, highlights_run, full_run):  # warm every worker and connection up
            for i in range(args.workers * 2):
                run(i)

        def cpu_of(process: subprocess.Popen[bytes], sampler: BackendCPU) -> Any:
            return lambda: (process_tree_cpu(process.pid), sampler.seconds())

        theirs = Scenario("doccano span list", span_list_run, cpu_of(doccano, doccano_cpu))
        ours = Scenario("workbench highlights", highlights_run, cpu_of(workbench, workbench_cpu))
        full = Scenario("workbench full claim list (one page of 1,000)", full_run, cpu_of(workbench, workbench_cpu))
        interleaved([theirs, ours, full], rounds=args.rounds, clients=args.clients, per_client=args.requests)
    finally:
        for sampler in samplers:
            sampler.stop()
        for process in processes:
            stop_server(process)
        connection.creation.destroy_test_db(old_name, verbosity=0)
        with psycopg.connect(server_dsn, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DOCCANO_DB}")
    lines = [
        f"- one document of {len(body):,} characters with {SPANS:,} spans, the same offsets in both; "
        f"{args.clients} concurrent clients; gunicorn {args.workers} sync workers each; the same PostgreSQL; "
        f"{args.rounds} interleaved rounds of {args.requests} requests per client",
        *(f"- {s.name}: {s.line()}" for s in (theirs, ours, full)),
        "- " + ratio_line("doccano span list / workbench highlights", theirs, ours, 3.0, at_most=False),
        "- " + ratio_line("workbench full claim list / doccano span list", full, theirs),
    ]
    print("\n".join(lines))
    with api_claims.RESULTS.open("a") as out:
        out.write(
            f"\n## Beside doccano 1.8.4: highlights and the claim list against its span list (bench/peer_doccano.py) "
            f"({timezone.now():%Y-%m-%d})\n\nMachine: {machine(server)}. Other test suites may share the machine.\n\n"
            + "\n".join(lines)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
