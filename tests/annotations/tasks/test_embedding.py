"""Meaning vectors computed by a real `celery worker` on the "embed" queue, with the real model."""

from __future__ import annotations

import time
from typing import Any

import pytest

from annotations import outbox
from annotations.matching.embeddings import model_name
from annotations.models import ClaimEmbedding
from annotations.selectors.similar import similar_to_claim
from annotations.services.workflow import claim_update
from annotations.tasks.fetching import sweep_outbox
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def embedded(claim_id: int, timeout: float = 60) -> ClaimEmbedding:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = ClaimEmbedding.objects.get(claim_id=claim_id)
        if not row.pending:
            return row
        time.sleep(0.1)
    raise AssertionError(f"claim {claim_id} is still waiting for its vector after {timeout} s")


def test_the_worker_embeds_new_claims_and_new_wordings_and_they_match(team: Any, reviewer: Any, celery_worker: Any):
    english = ClaimFactory(
        article=ArticleFactory(team=team, source="Unemployment fell to 4.2% last year.", source_format="text"),
        exact="Unemployment fell to 4.2% last year.",
    )
    german = ClaimFactory(
        article=ArticleFactory(
            team=team, source="Die Arbeitslosigkeit sank im vergangenen Jahr auf 4,2 %.", source_format="text"
        ),
        exact="Die Arbeitslosigkeit sank im vergangenen Jahr auf 4,2 %.",
    )
    first = embedded(english.pk)
    assert first.model == model_name() and first.vector is not None
    embedded(german.pk)
    found = similar_to_claim(claim=german)
    assert not found.pending and [m.key for m in found.claims] == [english.pk]

    claim_update(claim=english, user=reviewer, version=english.version, restated="Joblessness is at 4.2%")
    again = embedded(english.pk)
    assert again.wording.startswith("Joblessness is at 4.2%") and list(again.vector) != list(first.vector)


def test_the_sweep_sends_vectors_the_queue_lost(team: Any, celery_worker: Any):
    article = ArticleFactory(team=team, source="The bridge opens in May.", source_format="text")
    claim = ClaimFactory(article=article, exact="The bridge opens in May.")
    embedded(claim.pk)
    # A pending row whose task the broker lost (the worker restarted, say): the next sweep sends it.
    ClaimEmbedding.objects.filter(claim=claim).update(pending=True, queued_at=None, vector=None)
    sent = sweep_outbox()
    assert sent[outbox.EMBED_CLAIM] == 1
    assert embedded(claim.pk).vector is not None
