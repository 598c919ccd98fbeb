"""Benchmark: "Already checked?" with 100,000 embedded claims in one team, and embedding throughput.

Creates a throwaway database (``bench_similar`` on the configured PostgreSQL server, which needs
pgvector; dropped at the end) and fills it by COPY: one team with CLAIMS claims, a second team with
SMALL_TEAM claims, and REVIEWS imported reviews in the large team. Claim texts are synthetic: about
BASES distinct claims made from templates in six languages (subjects, figures, places, years), each
repeated with different attributions and tails so that every text is distinct and most claims have
earlier near-repeats, as a desk's archive does. Every vector is computed by the real model
(annotations.matching.embeddings.embed), in batches of EMBED_BATCH.

The HNSW index is dropped before the COPY and built afterwards (its build time and size are
recorded). Then, for QUERIES claims (``--queries``) spread over the large team's id range, it times
`similar_to_claim` in process and GET /api/v1/claims/{id}/similar/ through Django's test client
signed in as a member, recording the queries per request and the median time of each kind of
query, and prints EXPLAIN ANALYZE of the vector candidate query. Last, the throughput of one worker
process: `claim_embed` over EMBED_CLAIMS claims (the model and the database write) and `embed`
alone in batches of 1 and 32.

Appends the figures to bench/RESULTS.md. Run:
``DJANGO_DEBUG=1 python bench/similar.py [--claims N] [--queries N]``. Exits non-zero when the p95
target is missed or the queries per request differ between requests with the same outcome (the
API skips its look-ups for an empty list of matches).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
# Tasks the fill queues (articles created) go to the benchmark's own broker directory, never to a worker.
os.environ.setdefault("CELERY_NAMESPACE", "bench-similar")

import django

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import resolve  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import machine  # noqa: E402
from synthetic_claims import base_claims, claim_texts  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BASES = 3_000
SMALL_TEAM = 2_000
REVIEWS = 1_000
QUERIES = 200
EMBED_CLAIMS = 300
EMBED_BATCH = 64
TARGET_P95_MS = 200.0
HNSW_BUILD_MEMORY = "1GB"


def embed_all(texts: list[str]) -> np.ndarray[Any, Any]:
    from annotations.matching.embeddings import DIMENSIONS, embed

    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for start in range(0, len(texts), EMBED_BATCH):
        vectors[start : start + EMBED_BATCH] = np.asarray(embed(texts[start : start + EMBED_BATCH]), dtype=np.float32)
    return vectors


def vector_text(vector: np.ndarray[Any, Any]) -> str:
    return "[" + ",".join(f"{value:.7g}" for value in vector.tolist()) + "]"


# --- Fill ---------------------------------------------------------------------------------------


def chunks(rows: Iterator[str], size: int = 5_000) -> Iterator[str]:
    batch: list[str] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def copy_rows(sql: str, rows: Iterator[str]) -> None:
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for chunk in chunks(rows):
            copy.write(chunk)


def copy_claims(team: Any, articles: list[Any], texts: list[str]) -> None:
    now = timezone.now()
    columns = (
        'team_id, article_id, exact, prefix, suffix, start, "end", anchored_revision, anchor_outcome, anchor_score, '
        "restated, claimant, claimant_kind, canonical, via, status, not_check_worthy_reason, priority, version, "
        "created_at, updated_at"
    )

    def rows() -> Iterator[str]:
        for i, text in enumerate(texts):
            stamp = (now - datetime.timedelta(minutes=len(texts) - i)).isoformat()
            clean = text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
            row = [
                str(team.pk), str(articles[i % len(articles)].pk), clean, "", "", "0", str(len(text)), "1", "exact",
                "1.0", "", "", "person", "", "{}", "new", "", "1", "1", stamp, stamp,
            ]  # fmt: skip
            yield "\t".join(row) + "\n"

    copy_rows(f"COPY annotations_claim ({columns}) FROM STDIN", rows())


def copy_embeddings(team: Any, texts: list[str], vectors: np.ndarray[Any, Any]) -> None:
    from annotations.matching.embeddings import model_name

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, exact FROM annotations_claim WHERE team_id = %s ORDER BY id", [team.pk])
        ids = dict((exact, pk) for pk, exact in cursor.fetchall())
        # The rows the database made, pending, as the claims were inserted: replaced by the computed ones.
        cursor.execute("DELETE FROM annotations_claimembedding WHERE team_id = %s", [team.pk])
    model = model_name()
    stamp = timezone.now().isoformat()

    def rows() -> Iterator[str]:
        for text, vector in zip(texts, vectors, strict=True):
            clean = text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
            yield f"{ids[clean]}\t{team.pk}\t{clean}\t{vector_text(vector)}\t{model}\tf\t{stamp}\n"

    copy_rows(
        "COPY annotations_claimembedding (claim_id, team_id, wording, vector, model, pending, embedded_at) FROM STDIN",
        rows(),
    )


def copy_reviews(team: Any, reviewed: list[tuple[str, str]], vectors: np.ndarray[Any, Any]) -> None:
    from annotations.matching.embeddings import model_name

    model = model_name()
    stamp = timezone.now().isoformat()

    def rows() -> Iterator[str]:
        for i, ((language, text), vector) in enumerate(zip(reviewed, vectors, strict=True)):
            yield (
                f"{team.pk}\t{text}\t{vector_text(vector)}\t{model}\tf\t{stamp}\t"
                f"https://checker-{i % 7}.example/reviews/{i}\tChecker {i % 7}\thttps://checker-{i % 7}.example/\t"
                f"{text}\t\tFalse\t{language}\t{stamp}\t{stamp}\t{{}}\n"
            )

    copy_rows(
        "COPY annotations_externalreview (team_id, wording, vector, model, pending, embedded_at, url, publisher, "
        "publisher_url, claim_reviewed, claimant, rating_text, language, imported_at, updated_at, data) FROM STDIN",
        rows(),
    )


def fill(claims: int, figures: dict[str, Any]) -> tuple[Any, Any, Any]:
    from django.contrib.auth import get_user_model

    from annotations.models import Membership, Role
    from annotations.services.articles import article_create
    from annotations.services.teams import team_create

    rng = random.Random(11)
    bases = base_claims(rng, BASES)
    large_texts = claim_texts(rng, bases, claims)
    small_texts = claim_texts(rng, bases, SMALL_TEAM)
    reviewed = rng.sample(bases, REVIEWS)
    review_texts = [sentence for _, sentence in reviewed]
    languages = sorted({language for language, _ in bases})
    print(f"{len(bases)} base claims in {', '.join(languages)}; {claims + SMALL_TEAM} claim texts")

    started = time.perf_counter()
    large_vectors = embed_all(large_texts)
    small_vectors = embed_all(small_texts)
    review_vectors = embed_all(review_texts)
    figures["embed_fill_s"] = time.perf_counter() - started
    figures["embedded_texts"] = claims + SMALL_TEAM + REVIEWS
    print(f"embedded {figures['embedded_texts']} texts in {figures['embed_fill_s']:.1f} s")
    figures["bases"] = len(bases)
    figures["languages"] = languages

    team = team_create(slug="bench", name="Bench desk")
    other = team_create(slug="other", name="Other desk")
    member = get_user_model().objects.create_user(username="bench-reviewer")
    Membership.objects.create(team=team, user=member, role=Role.REVIEWER)
    text = "The council approved a flood wall. " * 40
    articles = [
        article_create(team=team, user=None, title=f"Article {i}", source=text, source_format="text")
        for i in range(200)
    ]
    other_articles = [
        article_create(team=other, user=None, title=f"Article {i}", source=text, source_format="text")
        for i in range(10)
    ]

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX claim_embedding_hnsw")
    copy_claims(team, articles, large_texts)
    copy_claims(other, other_articles, small_texts)
    copy_embeddings(team, large_texts, large_vectors)
    copy_embeddings(other, small_texts, small_vectors)
    copy_reviews(team, reviewed, review_vectors)
    figures["copy_s"] = time.perf_counter() - started
    print(f"copied claims, vectors and reviews in {figures['copy_s']:.1f} s")

    with connection.cursor() as cursor:
        cursor.execute(f"SET maintenance_work_mem = '{HNSW_BUILD_MEMORY}'")
        cursor.execute("SHOW max_parallel_maintenance_workers")
        figures["hnsw_workers"] = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute(
            "CREATE INDEX claim_embedding_hnsw ON annotations_claimembedding "
            "USING hnsw (vector vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
        )
        figures["hnsw_build_s"] = time.perf_counter() - started
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("SELECT pg_relation_size('claim_embedding_hnsw'), pg_relation_size('claim_exact_trgm')")
        figures["hnsw_bytes"], figures["trgm_bytes"] = cursor.fetchone()
        for table in ("annotations_claim", "annotations_claimembedding", "annotations_externalreview"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"HNSW index built in {figures['hnsw_build_s']:.1f} s, {figures['hnsw_bytes'] / 2**20:.0f} MiB")
    return team, other, member


# --- Measure ------------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(timings: list[float]) -> str:
    return (
        f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
        f"p99 {percentile(timings, 99):.1f} ms, max {max(timings):.1f} ms"
    )


def query_claims(team: Any, count: int) -> list[Any]:
    from annotations.models import Claim

    ids = list(Claim.objects.filter(team=team).order_by("pk").values_list("pk", flat=True))
    picked = [ids[int((k + 0.5) * len(ids) / count)] for k in range(count)]
    by_id = Claim.objects.select_related("team").in_bulk(picked)
    return [by_id[pk] for pk in picked]


def timed(call: Callable[[], Any]) -> tuple[float, list[dict[str, str]], Any]:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, captured.captured_queries, result


def query_kind(sql: str) -> str:
    """What one query of a lookup does, for the breakdown of where the time goes."""
    if sql in ("BEGIN", "COMMIT") or sql.startswith("SELECT set_config"):
        return "transaction and settings"
    rows = "reviews" if 'FROM "annotations_externalreview"' in sql else "claims"
    if '"vector" AS "vector"' in sql:
        return "the claim's own vector"
    if "<=>" in sql and "SIMILARITY" in sql:
        return f"{rows}: both signals of the candidates"
    if "<=>" in sql:
        return f"{rows}: nearest vectors (HNSW)"
    if "SIMILARITY" in sql:
        return f"{rows}: wording candidates (full text, scored by trigrams)"
    return "other"


def measure_lookups(claims: list[Any], member: Any, figures: dict[str, Any]) -> None:
    from annotations.selectors.similar import similar_to_claim

    similar_to_claim(claim=claims[-1])  # warm up: connection, model name
    timings: list[float] = []
    queries: set[int] = set()
    matches: list[int] = []
    reviews: list[int] = []
    by_kind: dict[str, list[float]] = {}
    for claim in claims:
        elapsed, captured, found = timed(partial(similar_to_claim, claim=claim))
        timings.append(elapsed)
        queries.add(len(captured))
        matches.append(len(found.claims))
        reviews.append(len(found.reviews))
        spent: dict[str, float] = {}
        for query in captured:
            kind = query_kind(query["sql"])
            spent[kind] = spent.get(kind, 0.0) + float(query["time"]) * 1000
        for kind, ms in spent.items():
            by_kind.setdefault(kind, []).append(ms)
    figures["selector"] = timings
    figures["selector_queries"] = sorted(queries)
    figures["matches"] = statistics.mean(matches)
    figures["no_match"] = sum(1 for m in matches if not m)
    figures["review_matches"] = statistics.mean(reviews)
    figures["breakdown"] = {kind: statistics.median(ms) for kind, ms in by_kind.items()}
    print(f"similar_to_claim: {summary(timings)}; queries {sorted(queries)}")
    for kind, ms in figures["breakdown"].items():
        print(f"  {kind}: median {ms:.0f} ms")

    client = Client()
    client.force_login(member)
    client.get(f"/api/v1/claims/{claims[-1].pk}/similar/")  # warm up: URL resolving, serializers
    timings = []
    by_outcome: dict[str, set[int]] = {}
    for claim in claims:
        elapsed, captured, response = timed(partial(client.get, f"/api/v1/claims/{claim.pk}/similar/"))
        assert response.status_code == 200, (claim.pk, response.status_code, response.content[:500])
        timings.append(elapsed)
        body = response.json()
        outcome = f"{'claims' if body['results'] else 'no claims'}, {'reviews' if body['elsewhere'] else 'no reviews'}"
        by_outcome.setdefault(outcome, set()).add(len(captured))
    figures["api"] = timings
    figures["api_queries"] = sorted(set().union(*by_outcome.values()))
    figures["api_by_outcome"] = {outcome: sorted(counts) for outcome, counts in sorted(by_outcome.items())}
    print(f"API: {summary(timings)}; queries {figures['api_queries']}, by outcome {figures['api_by_outcome']}")


def explain_vector_search(claim: Any) -> str:
    from pgvector.django import CosineDistance

    from annotations.matching.embeddings import model_name
    from annotations.models import Claim, ClaimEmbedding
    from annotations.selectors.similar import CANDIDATES, EF_SEARCH

    vector = ClaimEmbedding.objects.get(claim=claim).vector
    earlier = Claim.objects.filter(team=claim.team, duplicate_of__isnull=True, pk__lt=claim.pk)
    nearest = (
        ClaimEmbedding.objects.filter(team=claim.team, vector__isnull=False, model=model_name())
        .filter(claim_id__in=earlier.values("pk"))
        .annotate(distance=CosineDistance("vector", vector))
        .order_by("distance")
        .values_list("claim_id", flat=True)[:CANDIDATES]
    )
    sql, params = nearest.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('hnsw.ef_search', %s, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)",
            [str(EF_SEARCH)],
        )
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure_embedding(team: Any, figures: dict[str, Any]) -> None:
    from annotations.matching.embeddings import embed
    from annotations.models import ClaimEmbedding
    from annotations.services.embeddings import claim_embed

    ids = list(ClaimEmbedding.objects.filter(team=team).order_by("pk").values_list("pk", flat=True)[:EMBED_CLAIMS])
    ClaimEmbedding.objects.filter(pk__in=ids).update(pending=True, model="", embedded_at=None)
    started = time.perf_counter()
    outcomes = [claim_embed(claim_id=pk) for pk in ids]
    figures["claim_embed_per_s"] = len(ids) / (time.perf_counter() - started)
    assert outcomes == ["embedded"] * len(ids), set(outcomes)

    texts = list(ClaimEmbedding.objects.filter(pk__in=ids).order_by("pk").values_list("wording", flat=True))
    started = time.perf_counter()
    for text in texts:
        embed([text])
    figures["embed_1_per_s"] = len(texts) / (time.perf_counter() - started)
    batches = [texts[start : start + 32] for start in range(0, len(texts), 32)]
    started = time.perf_counter()
    for batch in batches:
        embed(batch)
    figures["embed_32_per_s"] = len(texts) / (time.perf_counter() - started)
    print(
        f"claim_embed {figures['claim_embed_per_s']:.0f} claims/s; embed() batch 1 {figures['embed_1_per_s']:.0f}/s, "
        f"batch 32 {figures['embed_32_per_s']:.0f}/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=QUERIES)
    args = parser.parse_args()
    resolve("/api/v1/claims/1/similar/")  # the URLs import, before the long fill
    connection.settings_dict["TEST"]["NAME"] = "bench_similar"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    figures: dict[str, Any] = {"claims": args.claims, "queries": args.queries}
    try:
        team, other, member = fill(args.claims, figures)
        claims = query_claims(team, args.queries)
        plan = explain_vector_search(claims[-1])
        figures["uses_hnsw"] = "claim_embedding_hnsw" in plan
        print(f"--- EXPLAIN ANALYZE: vector candidates of the latest query claim\n{plan}\n")
        measure_lookups(claims, member, figures)
        measure_embedding(other, figures)
        with connection.cursor() as db:
            db.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            figures["pgvector"] = db.fetchone()[0]
            db.execute("SHOW server_version")
            figures["server"] = db.fetchone()[0]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(Path(settings.VAR_DIR) / f"broker-{settings.CELERY_NAMESPACE}", ignore_errors=True)
    met = percentile(figures["selector"], 95) <= TARGET_P95_MS and percentile(figures["api"], 95) <= TARGET_P95_MS
    figures["met"] = met
    write_results(figures)
    same = len(figures["selector_queries"]) == 1 and all(len(n) == 1 for n in figures["api_by_outcome"].values())
    return 0 if met and same else 1


def write_results(figures: dict[str, Any]) -> None:
    load = os.getloadavg()[0]
    claims = figures["claims"]
    block = [
        f"\n## Already checked? — {claims:,} embedded claims in one team (bench/similar.py) "
        f"({timezone.now():%Y-%m-%d})\n",
        f"Machine: {machine(figures['server'])}; pgvector {figures['pgvector']}. Load average {load:.1f} at the end "
        "of the run; other test suites may share the machine.\n",
        f"- data: {claims:,} claims with vectors in one team, {SMALL_TEAM:,} in a second team, {REVIEWS:,} imported "
        f"reviews with vectors in the first. The claim texts are synthetic: {figures['bases']:,} distinct claims "
        f"from templates in {len(figures['languages'])} languages ({', '.join(figures['languages'])}: subjects, "
        "figures, places, years), each repeated with different attributions and tails so that every quote is "
        "distinct and most claims have earlier near-repeats. Every vector was computed by the real model "
        f"(`embed`, batches of {EMBED_BATCH}): {figures['embedded_texts']:,} texts in {figures['embed_fill_s']:.0f} s",
        f"- HNSW index (m 16, ef_construction 64, cosine) built after the COPY: {figures['hnsw_build_s']:.1f} s "
        f"(maintenance_work_mem {HNSW_BUILD_MEMORY}, {figures['hnsw_workers']} parallel workers), "
        f"{figures['hnsw_bytes'] / 2**20:.0f} MiB; the trigram index on the quotes {figures['trgm_bytes'] / 2**20:.0f} "
        f"MiB. The vector candidate query uses claim_embedding_hnsw: {'yes' if figures['uses_hnsw'] else 'NO'}",
        f"- {figures['queries']} query claims spread evenly over the team's id range (the later, the more "
        f"earlier claims to search); a match found for {figures['queries'] - figures['no_match']} of them, "
        f"{figures['matches']:.1f} claims and {figures['review_matches']:.1f} reviews shown on average",
        f"- `similar_to_claim` in process: {summary(figures['selector'])}; queries "
        f"{'/'.join(map(str, figures['selector_queries']))}",
        f"- GET /api/v1/claims/{{id}}/similar/ (Django test client, signed in as a reviewer, in process): "
        f"{summary(figures['api'])}; queries per request {'/'.join(map(str, figures['api_queries']))} ("
        + "; ".join(f"{outcome}: {'/'.join(map(str, n))}" for outcome, n in figures["api_by_outcome"].items())
        + ")",
        "- where the time of `similar_to_claim` goes, median per lookup: "
        + ", ".join(f"{kind} {ms:.0f} ms" for kind, ms in figures["breakdown"].items()),
        f"- target p95 ≤ {TARGET_P95_MS:.0f} ms: {'met' if figures['met'] else 'NOT met'}",
        f"- embedding, one worker process, one thread: `claim_embed` (read, model, write) "
        f"{figures['claim_embed_per_s']:.0f} claims/s over {EMBED_CLAIMS}; `embed` alone "
        f"{figures['embed_1_per_s']:.0f} texts/s one at a time, {figures['embed_32_per_s']:.0f} texts/s in batches "
        "of 32",
        "",
    ]
    with RESULTS.open("a") as out:
        out.write("\n".join(block) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
