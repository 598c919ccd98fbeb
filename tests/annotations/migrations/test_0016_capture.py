"""Migration 0016: existing articles get their provenance from what they hold."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from annotations.models import Article, Snapshot, SnapshotStatus
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("annotations.migrations.0016_capture")


def test_imported_articles_are_fetched_and_the_rest_pasted(team, reviewer):
    fetched = ArticleFactory(
        team=team, source="It cost $5m.", source_format="text", canonical_url="https://news.example/a"
    )
    pasted = ArticleFactory(team=team, source="It cost $5m.", source_format="markdown")
    snapshot = Snapshot.objects.create(
        team=team,
        url="https://news.example/a?x=1",
        final_url="https://news.example/a",
        status=SnapshotStatus.FETCHED,
        sha256="a" * 64,
        fetched_at=timezone.now(),
    )
    Article.objects.update(origin="pasted", origin_by=None, origin_at=None, origin_url="", origin_snapshot=None)
    Article.objects.filter(pk=pasted.pk).update(created_by=reviewer)

    migration.backfill_origin(apps, None)

    fetched.refresh_from_db()
    pasted.refresh_from_db()
    assert (fetched.origin, fetched.origin_url, fetched.origin_snapshot_id) == (
        "fetched",
        "https://news.example/a",
        snapshot.pk,
    )
    assert fetched.origin_at == fetched.created_at
    assert (pasted.origin, pasted.origin_by, pasted.origin_snapshot) == ("pasted", reviewer, None)
