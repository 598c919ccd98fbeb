"""Migration 0013: every fetched source's evidence is found again by the current finder."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from annotations.models import Snapshot, SnapshotStatus, Source
from annotations.services.sources import source_add
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("annotations.migrations.0013_evidence_found_again")


def test_fetched_sources_are_checked_again_and_keep_their_evidence_meanwhile(team, reviewer):
    claim = ClaimFactory(article=ArticleFactory(team=team, source="It cost $5m.", source_format="text"), exact="$5m")
    fetched = source_add(claim=claim, user=reviewer, url="https://news.example/a", stance="refutes")
    failed = source_add(claim=claim, user=reviewer, url="https://news.example/b", stance="refutes")
    Snapshot.objects.filter(pk=fetched.snapshot_id).update(
        status=SnapshotStatus.FETCHED, fetched_at=timezone.now(), sha256="a" * 64
    )
    Snapshot.objects.filter(pk=failed.snapshot_id).update(status=SnapshotStatus.FAILED, reason="404 Not Found")
    old = [{"kind": "figure", "found": True}]
    Source.objects.update(evidence=old, evidence_pending=False, evidence_queued_at=timezone.now())

    migration.find_again(apps, None)

    fetched.refresh_from_db()
    failed.refresh_from_db()
    assert fetched.evidence_pending and fetched.evidence_queued_at is None and fetched.evidence == old
    assert not failed.evidence_pending
