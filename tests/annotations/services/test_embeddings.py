"""Meaning vectors follow the claim's wording: pending on create and on change, computed once, never stale."""

import pytest

from annotations.matching import embeddings as model
from annotations.models import Claim, ClaimEmbedding
from annotations.services import embeddings
from annotations.services.embeddings import claim_embed, embeddings_catch_up
from annotations.services.workflow import claim_update
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

TEXT = "The city spent 40 million euros on the new tram line, twice the first estimate."


def test_a_new_claim_waits_for_its_vector_and_gets_it_once(team):
    claim = ClaimFactory(article=ArticleFactory(team=team, source=TEXT, source_format="text"), exact="40 million euros")
    row = ClaimEmbedding.objects.get(claim=claim)
    assert row.pending and row.vector is None and row.wording == "40 million euros" and row.team_id == team.pk

    assert claim_embed(claim_id=claim.pk) == "embedded"
    row.refresh_from_db()
    assert not row.pending and row.model == model.model_name() and len(row.vector) == model.DIMENSIONS
    assert abs(sum(v * v for v in row.vector) - 1.0) < 1e-3
    assert claim_embed(claim_id=claim.pk) == "current"  # a second delivery computes nothing


def test_a_new_restated_wording_is_embedded_again(team, reviewer):
    claim = ClaimFactory(article=ArticleFactory(team=team, source=TEXT, source_format="text"), exact="40 million euros")
    claim_embed(claim_id=claim.pk)
    before = list(ClaimEmbedding.objects.get(claim=claim).vector)

    updated = claim_update(claim=claim, user=reviewer, version=claim.version, restated="The tram cost €40m")
    row = ClaimEmbedding.objects.get(claim=updated)
    assert row.pending and row.wording == "The tram cost €40m — 40 million euros"
    assert list(row.vector) == before  # the previous meaning still serves until the new one is computed
    claim_embed(claim_id=updated.pk)
    row.refresh_from_db()
    assert not row.pending and list(row.vector) != before


def test_a_wording_changed_while_the_model_runs_is_not_overwritten(team, monkeypatch):
    claim = ClaimFactory(article=ArticleFactory(team=team, source=TEXT, source_format="text"), exact="40 million euros")
    real_embed = embeddings.embed

    def embed_while_a_colleague_rewords(texts):
        ClaimEmbedding.objects.filter(claim=claim).update(wording="twice the first estimate", pending=True)
        return real_embed(texts)

    monkeypatch.setattr(embeddings, "embed", embed_while_a_colleague_rewords)
    assert claim_embed(claim_id=claim.pk) == "current"
    row = ClaimEmbedding.objects.get(claim=claim)
    assert row.pending and row.vector is None and row.wording == "twice the first estimate"


def test_every_claim_inserted_gets_a_pending_row_and_another_models_vectors_are_redone(team):
    article = ArticleFactory(team=team, source=TEXT, source_format="text")
    first = ClaimFactory(article=article, exact="40 million euros")
    claim_embed(claim_id=first.pk)
    ClaimEmbedding.objects.filter(claim=first).update(model="an-older-model/1.0")
    # A claim written past the services, as a bulk load or raw SQL would: the database adds its row.
    [bulk] = Claim.objects.bulk_create(
        [
            Claim(
                team=team,
                article=article,
                exact="  twice the first estimate ",
                start=60,
                end=84,
                anchor_outcome="exact",
            )
        ]
    )
    row = ClaimEmbedding.objects.get(claim_id=bulk.pk)
    assert row.pending and row.wording == "twice the first estimate" and row.team_id == team.pk

    assert embeddings_catch_up() == 1
    assert ClaimEmbedding.objects.get(claim=first).pending
    assert embeddings_catch_up() == 0
    assert Claim.objects.filter(embedding__isnull=True).count() == 0
