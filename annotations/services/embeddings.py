"""Keeping the meaning vectors of claims and imported reviews up to date.

A service that creates a claim or changes its wording calls `claims_embedding_due` in its
transaction: the claim's row gets the new wording and is marked pending, and the embed task is
queued on commit. The worker computes the vector outside any transaction (`claim_embed`) and stores
it only if the wording is still the one it embedded, so a wording changed meanwhile is embedded
again rather than overwritten with an old meaning. Imported reviews work the same way
(`reviews_embedding_due`, `review_embed`).

Every claim has its row from the moment it is inserted (a database trigger, so bulk loads too), and
the outbox sweep sends the task for every pending row. `embeddings_catch_up` (run by the sweep)
marks pending every vector another model computed, so changing the model re-embeds.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from annotations import outbox
from annotations.matching.embeddings import claim_wording, embed, model_name
from annotations.models import Claim, ClaimEmbedding, ExternalReview

CATCH_UP_BATCH = 500


def claims_embedding_due(claims: Iterable[Claim]) -> None:
    """The claims were created or their wording changed: (re)compute their vectors after commit."""
    due: list[int] = []
    for claim in claims:
        wording = claim_wording(exact=claim.exact, restated=claim.restated)
        row, _ = ClaimEmbedding.objects.get_or_create(
            claim_id=claim.pk, defaults={"team_id": claim.team_id, "wording": wording}
        )
        if row.wording != wording:
            ClaimEmbedding.objects.filter(pk=row.pk).update(wording=wording, pending=True, queued_at=None)
            due.append(claim.pk)
        elif row.pending:
            due.append(claim.pk)
    outbox.queue_on_commit(outbox.EMBED_CLAIM, *due)


def reviews_embedding_due(review_ids: Iterable[int]) -> None:
    """The reviews were imported or their claim text changed (set `wording` and `pending` before)."""
    outbox.queue_on_commit(outbox.EMBED_REVIEW, *review_ids)


def claim_embed(*, claim_id: int) -> str:
    """Compute the claim's vector if it is pending. Returns "embedded", "current" or "gone"."""
    return _embed(ClaimEmbedding, claim_id)


def review_embed(*, review_id: int) -> str:
    """Compute the imported review's vector if it is pending. Returns "embedded", "current" or "gone"."""
    return _embed(ExternalReview, review_id)


def _embed(model: type[ClaimEmbedding] | type[ExternalReview], pk: int) -> str:
    row = model.objects.filter(pk=pk).values("wording", "pending", "model").first()
    if row is None:
        return "gone"
    current_model = model_name()
    if not row["pending"] and row["model"] == current_model:
        return "current"
    wording = row["wording"]
    (vector,) = embed([wording])  # outside any transaction: no row is held while the model runs
    stored = model.objects.filter(pk=pk, wording=wording).update(
        vector=vector, model=current_model, pending=False, embedded_at=timezone.now()
    )
    return "embedded" if stored else "current"


def embeddings_catch_up() -> int:
    """Mark pending the vectors another model computed (a model upgrade re-embeds). Returns how many.

    Served by the index on `model`: with nothing stale it reads no row.
    """
    current = model_name()
    stale = 0
    for model in (ClaimEmbedding, ExternalReview):
        other_model = Q(model__lt=current) | Q(model__gt=current)
        ids = list(
            model.objects.filter(other_model, pending=False)
            .order_by("pk")
            .values_list("pk", flat=True)[:CATCH_UP_BATCH]
        )
        stale += model.objects.filter(pk__in=ids).update(pending=True, queued_at=None)
    return stale
