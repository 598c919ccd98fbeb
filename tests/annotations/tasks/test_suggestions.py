"""Claim suggestions found by a real `celery worker` on the "default" queue, queued on commit."""

from __future__ import annotations

import time
from typing import Any

import pytest

from annotations import outbox
from annotations.models import Suggestion, SuggestionScan
from annotations.services.articles import article_revise
from annotations.tasks.fetching import sweep_outbox
from tests.annotations.services.test_suggestions import BRIDGE, STORY
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def scanned(article_id: int, revision: int, timeout: float = 60) -> SuggestionScan:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scan = SuggestionScan.objects.get(pk=article_id)
        if not scan.pending and scan.scanned_revision == revision:
            return scan
        time.sleep(0.1)
    raise AssertionError(f"article {article_id} revision {revision} was not scanned after {timeout} s")


def test_the_worker_suggests_claims_for_new_and_revised_articles(team: Any, celery_worker: Any):
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    scanned(article.pk, 1)
    assert BRIDGE in Suggestion.objects.filter(article=article).values_list("exact", flat=True)

    revised = article_revise(
        article=article, user=None, source=STORY + "\n\nThe repairs will take 18 months.", source_format="text"
    )
    scanned(article.pk, revised.revision)
    quotes = set(Suggestion.objects.filter(article=article).values_list("exact", flat=True))
    assert "The repairs will take 18 months" in quotes and BRIDGE in quotes


def test_the_sweep_sends_a_scan_the_queue_lost(team: Any, celery_worker: Any):
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    scanned(article.pk, 1)
    # Marked pending past the services (a bulk load): no task was sent. The next sweep sends it.
    SuggestionScan.objects.filter(pk=article.pk).update(pending=True, queued_at=None, scanned_revision=None)
    assert sweep_outbox()[outbox.SUGGEST] >= 1
    scanned(article.pk, 1)
