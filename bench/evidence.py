"""Benchmark: the evidence check, in milliseconds per source per megabyte of snapshot text.

News-like reports of 1 MB and 5 MB (UTF-8; prose with curly quotes, apostrophes, dashes, a figure
in about one sentence in four) and a claim whose quote is near the end of the report, whose
restated wording is nowhere in it (so the loose search reads the whole report too), with one
figure the report writes differently and one it lacks, and a quoted phrase. Measured:

- per source, in memory: `evidence_in` on a prepared report (the finder itself);
- per source, as the worker does it: `source_evidence_check` (reading the kept fold and the text
  from PostgreSQL, finding, recording under the source's row lock);
- once per snapshot: `prepare` in memory, and `snapshot_evidence_start`, which the fetch task runs
  once the snapshot is recorded (prepares the fold and keeps it).

A throwaway database (``bench_evidence`` on the configured PostgreSQL server) is created and
dropped. Median and min–max over RUNS runs; the ratio is to the target of 50 ms per source per MB.
Appends its figures to bench/RESULTS.md. Run: ``python bench/evidence.py [--runs 7] [--sizes 1 5]``.
Exits non-zero when a per-source figure misses the target. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

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
TARGET_MS_PER_MB = 50.0
MB = 1_000_000

WORDS = [
    "the", "council", "said", "officials", "government", "minister", "report", "budget", "plan", "city", "river",
    "wall", "project", "people", "year", "week", "new", "former", "local", "national", "public", "health",
    "school", "police", "court", "vote", "election", "party", "members", "opposition", "spokesperson", "analysts",
    "agency", "according", "to", "sources", "data", "figures", "showed", "would", "could", "has", "have", "been",
    "was", "were", "will", "not", "more", "than", "after", "before", "during", "against", "between", "about",
    "from", "into", "over", "under", "since", "while", "because", "however", "meanwhile", "later", "earlier",
    "again", "also", "only", "still", "already", "despite", "critics", "supporters", "residents", "workers",
    "companies", "families", "children", "hospitals", "roads", "bridges", "harbour",
]  # fmt: skip
NAMES = ["Ines Okafor", "the Ministry of Finance", "Reuters", "the BBC", "Dr. Ana Ruiz", "the mayor’s office"]
FIGURES = [
    "€{n} million", "${n} billion", "{n}%", "{n} per cent", "{n},{m:03d} troops", "{d} {month} {y}",
    "{month} {d}, {y}", "{n} kilometres", "£{n}.{d}bn", "{n} people",
]  # fmt: skip
MONTHS = ["January", "March", "April", "June", "September", "October", "December"]
NEEDLE = "The harbour authority’s chief said the new quay had cost 770 billion dollars — “a historic investment”."


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 24))]
    if rng.random() < 0.25:
        figure = rng.choice(FIGURES).format(
            n=rng.randint(2, 950), m=rng.randint(0, 999), d=rng.randint(1, 28), month=rng.choice(MONTHS),
            y=rng.randint(1990, 2025),
        )  # fmt: skip
        words.insert(rng.randint(1, len(words)), figure)
    if rng.random() < 0.3:
        at = rng.randint(1, len(words) - 2)
        words[at:at] = ["\u201c" + words[at]]
        words[at + 2] += "\u201d"
    if rng.random() < 0.2:
        words.insert(rng.randint(1, len(words)), "\u2014")
    if rng.random() < 0.2:
        words.insert(rng.randint(1, len(words)), f"({rng.choice(NAMES)})")
    text = " ".join(words)
    ending = rng.choice([".", ".", ".", ",” said " + rng.choice(NAMES) + ".", "?"])
    return text[0].upper() + text[1:] + ending


def report(size: int, seed: int = 1) -> str:
    """A news-like report of `size` bytes of UTF-8 (about), with NEEDLE in its last paragraph."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = len(NEEDLE.encode())
    while total < size:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
        paragraphs.append(paragraph)
        total += len(paragraph.encode()) + 2
    paragraphs[-1] += " " + NEEDLE
    return "\n\n".join(paragraphs)


CLAIM_QUOTE = "new quay had cost $770 billion"
CLAIM_RESTATED = (
    "The harbour’s new quay cost 770 billion dollars, “a historic investment” that took 1,234,567 hours, "
    "up 947.5% on the plan."
)


def timed(run: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5], help="megabytes of snapshot text")
    parser.add_argument("--no-record", action="store_true", help="print the figures only")
    args = parser.parse_args()

    from annotations.evidence import evidence_in, prepare
    from annotations.evidence.folding import fold

    fold("warm up: ß")  # the case-fold table is built once per process
    connection.settings_dict["TEST"]["NAME"] = "bench_evidence"
    setup_test_environment(debug=False)  # as the worker runs: no query log
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    rows: list[tuple[str, float, list[float]]] = []
    try:
        from annotations.models import Claim, Snapshot, SnapshotFold, Source
        from annotations.services.evidence import snapshot_evidence_start, source_evidence_check
        from tests.factories import ArticleFactory, ClaimFactory, TeamFactory

        team: Any = TeamFactory()
        article = ArticleFactory(team=team, source=f"The {CLAIM_QUOTE}.", source_format="text")
        claim: Any = ClaimFactory(article=article, exact=CLAIM_QUOTE)
        Claim.objects.filter(pk=claim.pk).update(restated=CLAIM_RESTATED, restated_at=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        for size in args.sizes:
            text = report(size * MB)
            megabytes = len(text.encode()) / MB
            prepared = prepare(text)
            items = evidence_in(prepared, quote=CLAIM_QUOTE, restated=CLAIM_RESTATED)
            assert [(item.kind, item.found) for item in items] == [
                ("quote", True), ("restated", False), ("figure", True), ("figure", False), ("figure", False),
                ("quotation", True),
            ], items  # fmt: skip
            snapshot = Snapshot.objects.create(
                team=team, url=f"https://news.example/{size}", status="fetched", sha256="b" * 64,
                fetched_at=timezone.now(), text=text,
            )  # fmt: skip
            source = Source.objects.create(
                team=team, claim=claim, url=snapshot.url, stance="supports", snapshot=snapshot
            )

            label = f"{size} MB ({megabytes:.2f} MB UTF-8, {len(text):,} code points)"
            finder = timed(partial(evidence_in, prepared, quote=CLAIM_QUOTE, restated=CLAIM_RESTATED), args.runs)
            rows.append((f"{label}: per source, the finder in memory (`evidence_in`)", megabytes, finder))
            check = partial(source_evidence_check, source_id=source.pk)
            again = partial(Source.objects.filter(pk=source.pk).update, evidence=[], evidence_pending=True,
                            evidence_wording="")  # fmt: skip
            check()
            checks = timed(check, args.runs, again)
            assert Source.objects.get(pk=source.pk).evidence, "the check recorded the evidence"
            rows.append((f"{label}: per source, the worker's check (`source_evidence_check`)", megabytes, checks))
            rows.append(
                (
                    f"{label}: once per snapshot, `prepare` in memory",
                    megabytes,
                    timed(partial(prepare, text), args.runs),
                )
            )
            rows.append((f"{label}: once per snapshot, prepared and kept (`snapshot_evidence_start`)", megabytes,
                         timed(partial(snapshot_evidence_start, snapshot_id=snapshot.pk), args.runs,
                               SnapshotFold.objects.filter(snapshot=snapshot).delete)))  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    lines = [
        "| measurement | median ms | min–max ms | ms per MB (median) | ratio to 50 ms/MB |",
        "| --- | --- | --- | --- | --- |",
    ]
    missed = False
    for name, megabytes, times in rows:
        per_mb = statistics.median(times) / megabytes
        if "per source" in name and per_mb > TARGET_MS_PER_MB:
            missed = True
        lines.append(
            f"| {name} | {statistics.median(times):.1f} | {min(times):.1f}–{max(times):.1f} | {per_mb:.1f} | "
            f"{per_mb / TARGET_MS_PER_MB:.2f} |"
        )
    print("\n".join(lines))
    machine = (
        f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PostgreSQL {server} (same machine)"
    )
    if args.no_record:
        return 1 if missed else 0
    with RESULTS.open("a") as out:
        out.write(
            f"\n## Evidence check per source (bench/evidence.py) ({timezone.now():%Y-%m-%d})\n\n"
            f"Machine: {machine}. Other test suites may share the machine. {args.runs} runs each; "
            f"target ≤ {TARGET_MS_PER_MB:.0f} ms per source per MB: {'NOT met' if missed else 'met'}.\n\n"
            + "\n".join(lines)
            + "\n"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
