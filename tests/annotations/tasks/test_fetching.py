"""Fetch tasks in a real `celery worker` on the configured broker, against the loopback server.

The worker is a separate process: it reads the test-only allowlist and its limits from the
environment (`worker_env`), which DJANGO_DEBUG=1 there permits.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from annotations import outbox
from annotations.models import Snapshot, SnapshotFold, SnapshotStatus, Source
from annotations.services.sources import source_add
from annotations.tasks.fetching import sweep_outbox
from tests.annotations.sources_server import SourceServer, serving
from tests.conftest import WorkerProcess
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

FETCH_TIMEOUT = 6
VISIBILITY_TIMEOUT = 3


@pytest.fixture
def server() -> Iterator[SourceServer]:
    with serving() as state:
        yield state


@pytest.fixture
def worker_env(worker_env: dict[str, str], server: SourceServer, tmp_path: Path, settings) -> dict[str, str]:
    settings.MEDIA_ROOT = tmp_path / "media"
    return {
        **worker_env,
        "FETCH_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
        "FETCH_EXTRA_PORTS": f"{server.port},{server.private_port}",
        "FETCH_TIMEOUT_SECONDS": str(FETCH_TIMEOUT),
        "FETCH_RETRY_BACKOFF_SECONDS": "0.3",
        "FETCH_MAX_ATTEMPTS": "3",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }


@pytest.fixture
def claim(team):
    article = ArticleFactory(team=team, source="The bill spends $770 billion, up 5%.", source_format="text")
    return ClaimFactory(article=article, exact="spends $770 billion, up 5%")


def cite(claim, url: str) -> Source:
    return source_add(claim=claim, user=None, url=url, stance="supports")


def sweep() -> None:
    """What beat does every OUTBOX_SWEEP_SECONDS: send the fetches that are due (retries included)."""
    outbox.sweep()


def wait_for(source: Source, statuses: set[str], timeout: float = 40, *, poke=sweep) -> Snapshot:
    """Poll the snapshot; `poke` (if given) runs every second meanwhile, as beat would."""
    deadline = time.monotonic() + timeout
    poked = 0.0
    while time.monotonic() < deadline:
        snapshot = Snapshot.objects.get(pk=source.snapshot_id)
        if snapshot.status in statuses:
            return snapshot
        if poke is not None and time.monotonic() - poked > 1:
            poke()
            poked = time.monotonic()
        time.sleep(0.2)
    raise AssertionError(f"snapshot still {snapshot.status} ({snapshot.reason!r}) after {timeout} s")


FINISHED = {SnapshotStatus.FETCHED, SnapshotStatus.FAILED, SnapshotStatus.BLOCKED}


def test_adding_a_source_queues_a_fetch_that_stores_the_copy_and_evidence(claim, server, celery_worker):
    source = cite(claim, server.loopback("/report"))

    snapshot = wait_for(source, FINISHED)

    assert snapshot.status == SnapshotStatus.FETCHED, snapshot.reason
    assert snapshot.title == "Defence budget report" and "770 billion dollars" in snapshot.text
    assert default_storage.open(snapshot.body.name).read().startswith(b"<!doctype html>")
    deadline = time.monotonic() + 20
    while Source.objects.get(pk=source.pk).evidence_pending and time.monotonic() < deadline:
        time.sleep(0.1)  # the evidence check, a task of its own, follows the fetch
    source.refresh_from_db()
    assert not source.evidence_pending and source.evidence_snapshot_id == snapshot.pk
    assert SnapshotFold.objects.filter(snapshot=snapshot).exists(), "the fetch task prepared the text"
    figures = [item for item in source.evidence if item["kind"] == "figure"]
    assert [item["found"] for item in figures] == [True, True]


def test_a_500_that_turns_into_a_200_is_retried_and_succeeds(claim, server, celery_worker):
    source = cite(claim, server.loopback("/flaky"))

    snapshot = wait_for(source, FINISHED)

    assert snapshot.status == SnapshotStatus.FETCHED, snapshot.reason
    assert snapshot.attempts == 3 and server.hits["/flaky"] == 3
    assert snapshot.reason == "" and snapshot.http_status == 200


def test_a_429_with_retry_after_is_honoured(claim, server, celery_worker):
    source = cite(claim, server.loopback("/busy-once"))

    snapshot = wait_for(source, FINISHED)

    assert snapshot.status == SnapshotStatus.FETCHED, snapshot.reason
    first, second = server.request_times("/busy-once")
    assert second - first >= 2.0, "the retry came before Retry-After: 2 (the backoff alone is 0.3 s)"
    assert snapshot.attempts == 2


def test_other_4xx_are_not_retried_and_5xx_stop_at_the_attempt_limit(claim, server, celery_worker):
    gone = cite(claim, server.loopback("/gone"))
    down = cite(claim, server.loopback("/always-500"))

    gone_snapshot = wait_for(gone, FINISHED)
    down_snapshot = wait_for(down, FINISHED)

    assert gone_snapshot.status == SnapshotStatus.FAILED and "410 Gone" in gone_snapshot.reason
    assert gone_snapshot.attempts == 1 and server.hits["/gone"] == 1
    assert down_snapshot.status == SnapshotStatus.FAILED and "gave up after 3 attempts" in down_snapshot.reason
    assert down_snapshot.attempts == 3 and server.hits["/always-500"] == 3


def test_a_redirect_to_a_private_address_is_blocked_and_never_reaches_it(claim, server, celery_worker):
    source = cite(claim, server.loopback("/redirect-private-listener"))

    snapshot = wait_for(source, FINISHED)

    assert snapshot.status == SnapshotStatus.BLOCKED
    assert "127.0.0.2" in snapshot.reason and "loopback" in snapshot.reason
    assert server.private_requests == []
    assert snapshot.attempts == 1 and server.hits["/redirect-private-listener"] == 1


def test_a_fetch_survives_its_worker_being_killed_mid_fetch(claim, server, celery_worker, worker_env, tmp_path):
    """SIGKILL the worker's whole process group while the report trickles in, then start a new worker.

    Whatever the broker does with the unacknowledged message (Redis hands it out again after
    CELERY_VISIBILITY_TIMEOUT; kombu's filesystem transport has deleted it), the beat job
    `sweep_outbox` (called here as beat would) sends the fetch again once the killed attempt's
    deadline has passed, and the new worker takes it over.
    """
    server.slow_seconds = 60
    source = cite(claim, server.loopback("/slow-once"))
    wait_for(source, {SnapshotStatus.FETCHING}, timeout=20)
    deadline = time.monotonic() + 10
    while server.hits["/slow-once"] < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)

    celery_worker.stop(signal.SIGKILL)

    assert celery_worker.process is not None and celery_worker.process.returncode == -signal.SIGKILL
    killed = Snapshot.objects.get(pk=source.snapshot_id)
    assert killed.status == SnapshotStatus.FETCHING and killed.attempts == 1
    replacement = WorkerProcess(worker_env, tmp_path / "worker-2.log")
    replacement.start()
    try:
        snapshot = wait_for(source, FINISHED, timeout=60, poke=lambda: sweep_outbox.delay())
    finally:
        replacement.stop()

    assert snapshot.status == SnapshotStatus.FETCHED, snapshot.reason
    assert snapshot.attempts == 2 and server.hits["/slow-once"] == 2
    assert "770 billion dollars" in snapshot.text


def test_the_worker_keeps_each_fetch_as_a_warc_with_every_hop(claim, server, celery_worker):
    from warcio.archiveiterator import ArchiveIterator

    from annotations.archiving.warc import payload_digest

    source = cite(claim, server.loopback("/redirect/1"))

    snapshot = wait_for(source, FINISHED)

    assert snapshot.status == SnapshotStatus.FETCHED, snapshot.reason
    responses = []
    with default_storage.open(snapshot.warc.name, "rb") as warc:
        for record in ArchiveIterator(warc, check_digests="raise"):
            payload = record.content_stream().read()
            if record.rec_type == "response":
                headers = record.rec_headers
                responses.append(
                    (headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Payload-Digest"), payload)
                )
    assert [url for url, _, _ in responses] == [
        server.loopback(path) for path in ("/redirect/1", "/redirect/0", "/article")
    ]
    _, digest, body = responses[-1]
    assert digest == payload_digest(snapshot.sha256) and body == default_storage.open(snapshot.body.name).read()
    assert len(snapshot.warc_index.splitlines()) == 3
