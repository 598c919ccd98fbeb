"""Already-checked claims: earlier claims of the same team whose quote resembles a text.

Trigram word similarity (pg_trgm's `<%`, served by the GIN trigram index on Claim.exact) finds
near-identical wording even when the new quote is a longer or shorter sentence than the old one.
"""

from __future__ import annotations

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Prefetch, Q
from django.db.models.functions import Greatest

from annotations.models import Claim, Team, Verdict

SIMILAR_LIMIT = 5
MIN_SIMILARITY = 0.5


def claims_similar(*, team: Team, text: str, exclude: Claim | None = None, limit: int = SIMILAR_LIMIT) -> list[Claim]:
    """Earlier claims in `team` similar to `text`, most similar first, each with `similarity` and its current verdict.

    Claims that are themselves linked duplicates are left out: their original is shown instead.
    When `exclude` is given, only claims made before it are considered.
    """
    text = text.strip()
    if not text:
        return []
    claims = Claim.objects.filter(team=team, duplicate_of__isnull=True)
    if exclude is not None:
        claims = claims.filter(pk__lt=exclude.pk)
    current = Verdict.objects.filter(is_current=True).select_related("rating", "author")
    return list(
        claims.filter(Q(exact__trigram_word_similar=text) | Q(exact__trigram_similar=text))
        .annotate(similarity=Greatest(TrigramWordSimilarity(text, "exact"), TrigramSimilarity("exact", text)))
        .filter(similarity__gte=MIN_SIMILARITY)
        .select_related("article")
        .defer("article__source", "article__text", "article__layout")
        .prefetch_related(Prefetch("verdicts", queryset=current, to_attr="current_verdicts"))
        .order_by("-similarity", "-updated_at", "-pk")[:limit]
    )
