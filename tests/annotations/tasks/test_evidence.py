"""The evidence check in a real `celery worker` on the configured broker."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.utils import timezone

from annotations import outbox
from annotations.models import Snapshot, SnapshotFold, SnapshotStatus, Source
from annotations.services.sources import source_add
from annotations.services.workflow import claim_update
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

REPORT = "Budget passes\n\nThe new defence bill spends 770 billion dollars, up 5 per cent on last year."


@pytest.fixture
def claim(team: Any) -> Any:
    article = ArticleFactory(team=team, source="The bill spends $770 billion, up 5%.", source_format="text")
    return ClaimFactory(article=article, exact="spends $770 billion, up 5%")


@pytest.fixture
def snapshot(team: Any) -> Snapshot:
    return Snapshot.objects.create(
        team=team, url="https://news.example/budget", status=SnapshotStatus.FETCHED, sha256="a" * 64,
        fetched_at=timezone.now(), text=REPORT,
    )  # fmt: skip


def found(source_id: int, timeout: float = 30, *, poke: Any = None) -> Source:
    """Wait for the worker to record the source's evidence; `poke` (if given) runs every second meanwhile."""
    deadline = time.monotonic() + timeout
    poked = 0.0
    while time.monotonic() < deadline:
        source = Source.objects.get(pk=source_id)
        if not source.evidence_pending:
            return source
        if poke is not None and time.monotonic() - poked > 1:
            poke()
            poked = time.monotonic()
        time.sleep(0.1)
    raise AssertionError(f"the evidence of source {source_id} is still pending after {timeout} s")


def kinds(source: Source) -> list[tuple[str, bool]]:
    return [(item["kind"], item["found"]) for item in source.evidence]


def test_the_worker_finds_the_evidence_and_again_after_a_new_wording(
    claim: Any, snapshot: Snapshot, reviewer: Any, celery_worker: Any
) -> None:
    source = source_add(claim=claim, user=None, url=snapshot.url, stance="supports")
    assert source.evidence_pending and source.evidence == []

    source = found(source.pk)

    assert kinds(source) == [("quote", False), ("figure", True), ("figure", True)]
    assert source.evidence_snapshot_id == snapshot.pk
    fold = SnapshotFold.objects.get(snapshot=snapshot)

    claim.refresh_from_db()
    claim_update(claim=claim, user=reviewer, version=claim.version, restated="The new defence bill spends")
    source = found(source.pk)

    assert kinds(source) == [("quote", False), ("restated", True), ("figure", True), ("figure", True)]
    assert SnapshotFold.objects.get(snapshot=snapshot).created_at == fold.created_at, "the fold was kept"


def test_a_check_whose_send_was_lost_is_sent_by_the_sweep(claim: Any, snapshot: Snapshot, celery_worker: Any) -> None:
    # A pending source never sent, as if the broker had refused the send on commit.
    source = Source.objects.create(team=claim.team, claim=claim, url=snapshot.url, stance="supports", snapshot=snapshot)

    source = found(source.pk, poke=outbox.sweep)

    assert kinds(source) == [("quote", False), ("figure", True), ("figure", True)]
    assert source.evidence_queued_at is not None
