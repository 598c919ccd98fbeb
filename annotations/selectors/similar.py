"""Already checked? Earlier claims of the team, and other fact-checkers' reviews, that make the same claim.

Candidates come from two searches, each served by an index: the claim's meaning vector against the
HNSW index of the team's vectors (pgvector, cosine distance; any language), and its quote's words
against the full-text index (every word of the quote, in any order: a repeat, or a quote cut from a
longer one). Every candidate is then scored on both signals in one query, the wording by pg_trgm's
trigram similarity, its figures are compared with the claim's (annotations.matching.figures), and
the signals are combined into one score (annotations.matching.ranking);
those at or above the team's threshold are kept, best first. The word search needs all the words
because it only has to catch what the vectors are not there for yet: a claim whose vector is still
being computed. A trigram search over a large archive rechecks a good share of it (seconds at
100,000 claims), where the words' posting lists are intersected in milliseconds.

Earlier means made before the claim. Claims that are themselves linked duplicates are left out:
their original is shown instead. The searches read from the replica when one is configured
(workbench.databases).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramSimilarity, TrigramWordSimilarity
from django.db import connections, transaction
from django.db.models import Case, FloatField, QuerySet, Value, When
from django.db.models.functions import Greatest
from pgvector.django import CosineDistance

from annotations.matching.embeddings import model_name
from annotations.matching.figures import figures_differ
from annotations.matching.ranking import Match, Signals, ranked
from annotations.models import Claim, ClaimEmbedding, ExternalReview
from annotations.models.matching import WORDS_CONFIG
from workbench.databases import reading_database

SIMILAR_LIMIT = 5
CANDIDATES = 40
"""How many candidates each search brings; the score decides among them."""
MIN_WORDING = 0.5
"""The word search's floor: below it wording alone never makes a match (ranking.WORDING_MIDPOINT is
0.6), and the vector search brings the candidates that mean the same in other words."""
EF_SEARCH = 100


@dataclass
class Similar:
    """What "Already checked?" found for a claim: matches among the team's claims and imported reviews."""

    claims: list[Match] = field(default_factory=list)
    reviews: list[Match] = field(default_factory=list)
    pending: bool = False
    """The claim's meaning is not computed yet: only its wording was compared."""


def similar_to_claim(*, claim: Claim, threshold: float | None = None, limit: int = SIMILAR_LIMIT) -> Similar:
    """Earlier claims of the claim's team and imported reviews alike to it, scored and ranked."""
    team = claim.team
    if threshold is None:
        threshold = team.similarity_threshold
    database = reading_database()
    row = ClaimEmbedding.objects.using(database).filter(claim=claim, model=model_name()).values("vector", "pending")
    found = row.first()
    vector = None if found is None or found["vector"] is None else found["vector"]
    pending = found is None or found["pending"]
    text = claim.exact.strip()
    earlier = Claim.objects.using(database).filter(team=team, duplicate_of__isnull=True, pk__lt=claim.pk)
    reviews = ExternalReview.objects.using(database).filter(team=team)
    with transaction.atomic(using=database):
        _tune_vector_search(database)
        # The vector search filters the embeddings table alone, so the HNSW index serves it; linked
        # duplicates among its candidates drop out when they are scored.
        vectors = ClaimEmbedding.objects.using(database).filter(team=team, claim_id__lt=claim.pk)
        claim_signals = _signals(earlier, "exact", text, vector, vectors, "claim_id")
        review_signals = _signals(reviews, "claim_reviewed", text, vector, reviews, "pk")
    return Similar(
        claims=ranked(claim_signals, threshold=threshold, limit=limit),
        reviews=ranked(review_signals, threshold=threshold, limit=limit),
        pending=pending,
    )


def _tune_vector_search(database: str) -> None:
    # pgvector 0.8: keep scanning the HNSW graph until enough rows pass the team filter (relaxed order:
    # the candidates are re-scored and sorted anyway).
    with connections[database].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('hnsw.ef_search', %s, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)",
            [str(EF_SEARCH)],
        )


def _signals(
    rows: QuerySet[Any], text_field: str, text: str, vector: Any, vectors: QuerySet[Any], vector_key: str
) -> dict[int, Signals]:
    """The signals of the candidates of both searches: {pk: (meaning or None, wording, figures differ)}."""
    keys = set(_by_wording(rows, text_field, text)) if text else set()
    if vector is not None:
        nearest = (
            vectors.filter(vector__isnull=False, model=model_name())
            .annotate(distance=CosineDistance("vector", vector))
            .order_by("distance")
            .values_list(vector_key, flat=True)[:CANDIDATES]
        )
        keys.update(nearest)
    if not keys:
        return {}
    prefix = "embedding__" if vector_key == "claim_id" else ""
    wording = (
        Greatest(TrigramWordSimilarity(text, text_field), TrigramSimilarity(text_field, text))
        if text
        else Value(0.0, output_field=FloatField())
    )
    distance = (
        Case(When(**{f"{prefix}model": model_name()}, then=CosineDistance(f"{prefix}vector", vector)))
        if vector is not None
        else Value(None, output_field=FloatField())
    )
    scored = rows.filter(pk__in=keys).annotate(alike=wording, distance=distance)
    return {
        pk: (None if far is None else 1.0 - far, near, figures_differ(text, other))
        for pk, far, near, other in scored.values_list("pk", "distance", "alike", text_field)
    }


def _by_wording(rows: QuerySet[Any], text_field: str, text: str) -> dict[int, float]:
    """The candidates of the word search: {pk: trigram similarity}, at least MIN_WORDING.

    The claims' full-text index covers the quote and the restated claim (migration 0003); the
    reviews' covers the claim reviewed (migration 0010). The expressions here are theirs.
    """
    fields = ("exact", "restated") if text_field == "exact" else (text_field,)
    found = (
        rows.annotate(words=SearchVector(*fields, config=WORDS_CONFIG))
        .filter(words=SearchQuery(text, config=WORDS_CONFIG, search_type="plain"))
        .annotate(alike=Greatest(TrigramWordSimilarity(text, text_field), TrigramSimilarity(text_field, text)))
        .filter(alike__gte=MIN_WORDING)
        .order_by("-alike", "-pk")
        .values_list("pk", "alike")[:CANDIDATES]
    )
    return dict(found)


__all__ = ["Similar", "similar_to_claim"]
