"""Snapshots fetched in-process against the loopback server: what is recorded, reused, refused, retried."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import socket
from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from annotations import outbox
from annotations.fetching import system_connector
from annotations.models import AuditEvent, Snapshot, SnapshotFold, SnapshotStatus, Source
from annotations.services.evidence import snapshot_evidence_start, source_evidence_check
from annotations.services.snapshots import retry_delay, snapshot_fetch, snapshot_for_source
from annotations.services.sources import source_add, source_refetch
from tests.annotations.sources_server import REPORT_HTML, SourceServer, serving
from tests.factories import ArticleFactory, ClaimFactory
from tests.on_commit import work_queued

pytestmark = pytest.mark.django_db

CLAIM_TEXT = 'The new defence bill spends $770 billion, up 5%, "a historic investment" say officials.'


@pytest.fixture
def server() -> Iterator[SourceServer]:
    with serving() as state:
        yield state


@pytest.fixture(autouse=True)
def fetch_settings(settings, server: SourceServer, tmp_path):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.FETCH_EXTRA_PORTS = [server.port, server.private_port]
    settings.FETCH_TIMEOUT_SECONDS = 5.0
    settings.FETCH_RETRY_BACKOFF_SECONDS = 0.01
    settings.FETCH_MAX_ATTEMPTS = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def guard(address: tuple[str, int], timeout: float | None) -> socket.socket:
    """Connects only to 127.0.0.1: anything else fails the test before a packet leaves."""
    if ipaddress.ip_address(address[0]) != ipaddress.ip_address("127.0.0.1"):
        pytest.fail(f"the fetcher tried to connect to {address}")
    return system_connector(address, timeout)


@pytest.fixture
def claim(team):
    article = ArticleFactory(team=team, source=CLAIM_TEXT, source_format="text")
    return ClaimFactory(
        article=article, exact="spends $770 billion, up 5%", restated="The defence bill authorises $770bn."
    )


def add_source(claim, url: str) -> Source:
    source = Source.objects.create(team=claim.team, claim=claim, url=url, stance="supports")
    snapshot_for_source(source=source)
    return source


def run(source: Source) -> Snapshot:
    assert source.snapshot_id is not None
    snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard)
    return Snapshot.objects.get(pk=source.snapshot_id)


def check_evidence(snapshot_id: int) -> None:
    """What the worker does once the snapshot is fetched: check each source waiting for it."""
    for source_id in Source.objects.filter(snapshot_id=snapshot_id, evidence_pending=True).values_list("id", flat=True):
        source_evidence_check(source_id=source_id)


def test_a_fetched_report_records_everything_and_keeps_its_bytes(claim, server):
    source = add_source(claim, server.loopback("/redirect/0"))
    snapshot = run(source)

    assert snapshot.status == SnapshotStatus.FETCHED, snapshot.reason
    assert snapshot.url == server.loopback("/redirect/0")
    assert snapshot.final_url == server.loopback("/article")
    assert snapshot.redirect_chain == [{"url": server.loopback("/redirect/0"), "status": 302}]
    assert snapshot.http_status == 200
    assert snapshot.content_type == "text/html; charset=utf-8"
    body = default_storage.open(snapshot.body.name).read()
    assert snapshot.size == len(body)
    assert snapshot.sha256 == hashlib.sha256(body).hexdigest()
    assert snapshot.body.name.startswith("snapshots/") and snapshot.body.name.endswith(".html")
    assert snapshot.fetched_at is not None and snapshot.duration_ms is not None
    assert snapshot.title == "Budget passes"
    assert "$770 billion" in snapshot.text
    assert snapshot.extraction_state == "extracted"
    assert snapshot.attempts == 1 and snapshot.deadline_at is None
    assert AuditEvent.objects.filter(action="snapshot.fetched", target_id=snapshot.pk).count() == 1


def test_evidence_is_found_for_every_source_of_the_snapshot_after_the_fetch(
    claim, server, team, django_capture_on_commit_callbacks
):
    other_article = ArticleFactory(team=team, source="A 5% rise was reported.", source_format="text")
    other_claim = ClaimFactory(article=other_article, exact="A 5% rise")
    first = add_source(claim, server.loopback("/report"))
    second = add_source(other_claim, server.loopback("/report"))
    assert second.snapshot_id == first.snapshot_id

    run(first)
    assert Source.objects.filter(pk__in=[first.pk, second.pk], evidence_pending=True, evidence=[]).count() == 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        snapshot_evidence_start(snapshot_id=first.snapshot_id)  # what the fetch task does next

    [queued] = work_queued(callbacks)
    assert queued.args[0] == outbox.EVIDENCE and set(queued.args[1]) == {first.pk, second.pk}
    assert SnapshotFold.objects.filter(snapshot_id=first.snapshot_id).exists()
    check_evidence(first.snapshot_id)
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.evidence_pending and not second.evidence_pending
    assert [item["kind"] for item in first.evidence] == ["quote", "restated", "figure", "figure"]
    assert first.evidence[0]["found"] is False
    amount = first.evidence[2]
    assert amount["label"] == "$770 billion — found in the report, paragraph 3"
    assert amount["found"] is True and amount["paragraph"] == 3
    assert "770 billion dollars" in amount["excerpt"]
    assert first.evidence[3]["label"].startswith("5% — found")
    assert [item["kind"] for item in second.evidence] == ["quote", "figure"]
    assert second.evidence[1]["found"] is True


def test_pdf_plain_text_and_other_types(claim, server):
    pdf = run(add_source(claim, server.loopback("/doc.pdf")))
    text = run(add_source(claim, server.loopback("/report.txt")))
    image = run(add_source(claim, server.loopback("/image.png")))

    assert pdf.status == SnapshotStatus.FETCHED and pdf.content_type == "application/pdf"
    assert pdf.body.name.endswith(".pdf") and pdf.extraction_state == "failed" and pdf.reason
    assert text.text == "Plain words: 770 billion dollars.\n" and text.extraction_state == "extracted"
    assert image.status == SnapshotStatus.FETCHED and image.extraction_state == "not_extracted"
    assert "not extracted" in image.reason and image.text == ""
    assert default_storage.open(image.body.name).read().startswith(b"\x89PNG")


def test_the_same_url_within_the_window_reuses_the_snapshot(claim, server, settings):
    first = add_source(claim, server.loopback("/report"))
    run(first)
    check_evidence(first.snapshot_id)
    second = add_source(claim, server.loopback("/report?utm_source=mail"))

    assert second.snapshot_id == first.snapshot_id
    assert second.evidence == [] and second.evidence_pending
    check_evidence(first.snapshot_id)
    second.refresh_from_db()
    assert second.evidence and second.evidence == Source.objects.get(pk=first.pk).evidence
    assert server.hits["/report"] == 1

    Snapshot.objects.filter(pk=first.snapshot_id).update(fetched_at=timezone.now() - datetime.timedelta(hours=2))
    third = add_source(claim, server.loopback("/report"))
    assert third.snapshot_id != first.snapshot_id


def test_another_team_never_reuses_a_snapshot(claim, server, outsider):
    first = add_source(claim, server.loopback("/report"))
    run(first)
    other_claim = ClaimFactory(article=ArticleFactory(team=outsider.memberships.get().team))
    other = add_source(other_claim, server.loopback("/report"))
    assert other.snapshot_id != first.snapshot_id


def test_a_redirect_to_a_private_address_is_blocked_with_no_request_to_it(claim, server):
    snapshot = run(add_source(claim, server.loopback("/redirect-private-listener")))

    assert snapshot.status == SnapshotStatus.BLOCKED
    assert "127.0.0.2" in snapshot.reason and "loopback" in snapshot.reason
    assert server.private_requests == []
    assert not snapshot.body and snapshot.attempts == 1


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://0x0a.0.0.5/", "ftp://example.org/x"],
)
def test_private_and_odd_links_are_blocked_before_any_connection(claim, url):
    source = Source.objects.create(team=claim.team, claim=claim, url=url, stance="supports")
    snapshot = Snapshot.objects.create(team=claim.team, url=url)
    source.snapshot = snapshot
    source.save()

    def forbidden(address: tuple[str, int], timeout: float | None) -> socket.socket:
        pytest.fail(f"connected to {address}")

    snapshot_fetch(snapshot_id=snapshot.pk, connector=forbidden)
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.BLOCKED and snapshot.reason.startswith("Refused")


def test_a_4xx_fails_at_once_without_retry(claim, server):
    source = add_source(claim, server.loopback("/gone"))
    outcome = snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard)
    snapshot = Snapshot.objects.get(pk=source.snapshot_id)
    assert outcome.run_again_in is None
    assert snapshot.status == SnapshotStatus.FAILED and "410 Gone" in snapshot.reason
    assert server.hits["/gone"] == 1
    source.refresh_from_db()
    assert not source.evidence_pending and source.evidence == [], "no evidence is to come from a failed fetch"


def test_a_5xx_is_retried_with_backoff_then_recorded_as_failed(claim, server):
    source = add_source(claim, server.loopback("/always-500"))
    outcomes = []
    for _ in range(3):
        Snapshot.objects.filter(pk=source.snapshot_id).update(deadline_at=None)
        outcomes.append(snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard))
    snapshot = Snapshot.objects.get(pk=source.snapshot_id)

    assert [o.status for o in outcomes] == ["pending", "pending", "failed"]
    assert all(o.run_again_in is not None for o in outcomes[:2]) and outcomes[2].run_again_in is None
    assert snapshot.status == SnapshotStatus.FAILED and snapshot.attempts == 3
    assert "503 Service Unavailable" in snapshot.reason and "gave up after 3 attempts" in snapshot.reason
    assert server.hits["/always-500"] == 3


def test_a_pending_retry_records_why_and_when(claim, server):
    source = add_source(claim, server.loopback("/busy-once"))
    outcome = snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard)
    snapshot = Snapshot.objects.get(pk=source.snapshot_id)

    assert snapshot.status == SnapshotStatus.PENDING
    assert snapshot.reason.startswith("Attempt 1 of 3 failed:") and "429" in snapshot.reason
    assert outcome.run_again_in is not None and outcome.run_again_in >= 2
    assert snapshot.deadline_at is not None and snapshot.deadline_at > timezone.now()
    early = snapshot_fetch(snapshot_id=snapshot.pk, connector=guard)
    assert early.run_again_in is not None and server.hits["/busy-once"] == 1


def test_retry_delay_backs_off_exponentially_with_jitter_and_honours_retry_after(settings):
    settings.FETCH_RETRY_BACKOFF_SECONDS = 10
    delays = [retry_delay(attempt=n) for n in (1, 2, 3, 4)]
    for n, delay in enumerate(delays, start=1):
        assert 10 * 2 ** (n - 1) * 0.5 <= delay <= 10 * 2 ** (n - 1)
    assert retry_delay(attempt=1, retry_after=120) == 120
    assert retry_delay(attempt=30) <= 3600


def test_the_status_guard_makes_a_second_run_a_no_op(claim, server):
    source = add_source(claim, server.loopback("/report"))
    run(source)
    outcome = snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard)
    assert outcome.status == "fetched" and outcome.run_again_in is None
    assert server.hits["/report"] == 1
    assert snapshot_fetch(snapshot_id=999_999).status == "missing"


def test_a_fetch_in_progress_is_left_alone_until_its_deadline(claim, server):
    source = add_source(claim, server.loopback("/report"))
    Snapshot.objects.filter(pk=source.snapshot_id).update(
        status=SnapshotStatus.FETCHING, attempts=1, deadline_at=timezone.now() + datetime.timedelta(seconds=30)
    )
    outcome = snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard)
    assert outcome.status == "fetching" and 29 <= (outcome.run_again_in or 0) <= 32
    assert server.hits["/report"] == 0

    Snapshot.objects.filter(pk=source.snapshot_id).update(deadline_at=timezone.now() - datetime.timedelta(seconds=1))
    assert snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard).status == "fetched"
    assert Snapshot.objects.get(pk=source.snapshot_id).attempts == 2


def test_a_fetch_stuck_on_its_last_attempt_is_recorded_as_failed(claim, server):
    source = add_source(claim, server.loopback("/report"))
    Snapshot.objects.filter(pk=source.snapshot_id).update(
        status=SnapshotStatus.FETCHING, attempts=3, deadline_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard).status == "failed"
    snapshot = Snapshot.objects.get(pk=source.snapshot_id)
    assert "Gave up after 3 attempts" in snapshot.reason and server.hits["/report"] == 0
    assert not Source.objects.get(pk=source.pk).evidence_pending


def test_a_stale_attempt_does_not_overwrite_the_one_that_took_over(claim, server):
    from annotations.services import snapshots

    source = add_source(claim, server.loopback("/report"))
    real_fetch = snapshots.fetch

    def fetch_then_lose_the_snapshot(*args, **kwargs):
        result = real_fetch(*args, **kwargs)
        Snapshot.objects.filter(pk=source.snapshot_id).update(attempts=2)
        return result

    snapshots.fetch = fetch_then_lose_the_snapshot
    try:
        outcome = snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard)
    finally:
        snapshots.fetch = real_fetch
    assert outcome.status == "superseded"
    snapshot = Snapshot.objects.get(pk=source.snapshot_id)
    assert snapshot.status == SnapshotStatus.FETCHING and not snapshot.body and snapshot.sha256 == ""


def test_the_outbox_finds_due_retries_unsent_work_and_expired_fetches_only(team):
    now = timezone.now()
    ago = now - datetime.timedelta(minutes=10)
    soon = now + datetime.timedelta(minutes=1)
    stuck = Snapshot.objects.create(team=team, url="https://a.example/", status="fetching", deadline_at=ago)
    running = Snapshot.objects.create(team=team, url="https://b.example/", status="fetching", deadline_at=soon)
    retry_due = Snapshot.objects.create(team=team, url="https://c.example/", status="pending", deadline_at=ago)
    retry_later = Snapshot.objects.create(team=team, url="https://d.example/", status="pending", deadline_at=soon)
    unsent = Snapshot.objects.create(team=team, url="https://e.example/")  # the broker was down
    sent = Snapshot.objects.create(team=team, url="https://f.example/", queued_at=now)
    lost = Snapshot.objects.create(team=team, url="https://g.example/", queued_at=ago)  # a worker lost it
    Snapshot.objects.create(team=team, url="https://h.example/", status="failed", reason="No.")

    assert outbox.due(outbox.FETCH, now=now) == [stuck.pk, retry_due.pk, unsent.pk, lost.pk]
    assert {running.pk, retry_later.pk, sent.pk}.isdisjoint(outbox.due(outbox.FETCH, now=now))


def test_source_add_queues_one_fetch_on_commit(claim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        source = source_add(claim=claim, user=None, url="https://news.example/report", stance="supports")
    assert len(work_queued(callbacks)) == 1
    assert source.snapshot is not None and source.snapshot.status == SnapshotStatus.PENDING
    assert source.snapshot.url == "https://news.example/report"


def test_refetch_makes_a_new_snapshot_and_keeps_the_old_one(
    claim, server, reviewer, django_capture_on_commit_callbacks
):
    source = add_source(claim, server.loopback("/report"))
    first = run(source)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        source = source_refetch(source=source, user=reviewer)
    assert len(work_queued(callbacks)) == 1
    assert source.snapshot_id != first.pk and source.snapshot.status == SnapshotStatus.PENDING
    assert Snapshot.objects.get(pk=first.pk).status == SnapshotStatus.FETCHED
    assert AuditEvent.objects.filter(action="source.refetch", target_id=source.pk, actor=reviewer).count() == 1

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = source_refetch(source=source, user=reviewer)
    assert work_queued(callbacks) == [] and again.snapshot_id == source.snapshot_id


def test_hostile_html_is_kept_as_bytes_and_its_text_has_no_markup(claim, server):
    snapshot = run(add_source(claim, server.loopback("/hostile.html")))
    assert default_storage.open(snapshot.body.name).read() == b"<script>alert(1)</script><p>Hello</p>"
    assert "<" not in snapshot.text


def test_report_html_metadata(claim, server):
    snapshot = run(add_source(claim, server.loopback("/report")))
    assert snapshot.title == "Defence budget report"
    assert snapshot.byline == "Jane Analyst"
    assert snapshot.published.startswith("2022-01-05")
    assert snapshot.size == len(REPORT_HTML)


def _warc_records(name: str) -> list[tuple[str, str, str | None, str | None]]:
    from warcio.archiveiterator import ArchiveIterator

    found = []
    with default_storage.open(name, "rb") as handle:
        for record in ArchiveIterator(handle, check_digests="raise"):
            record.content_stream().read()
            headers = record.rec_headers
            found.append(
                (
                    record.rec_type,
                    headers.get_header("WARC-Target-URI") or "",
                    headers.get_header("WARC-Payload-Digest"),
                    headers.get_header("WARC-IP-Address"),
                )
            )
    return found


def test_the_fetch_is_kept_as_a_warc_beside_the_bytes_with_its_index(claim, server):
    from annotations.archiving.warc import payload_digest

    snapshot = run(add_source(claim, server.loopback("/redirect/0")))

    assert snapshot.warc.name.startswith("snapshots/") and snapshot.warc.name.endswith(f"-{snapshot.pk}-1.warc.gz")
    records = _warc_records(snapshot.warc.name)
    assert [(kind, url) for kind, url, _, _ in records] == [
        ("warcinfo", ""),
        ("response", server.loopback("/redirect/0")),
        ("request", server.loopback("/redirect/0")),
        ("response", server.loopback("/article")),
        ("request", server.loopback("/article")),
    ]
    assert records[3][2] == payload_digest(snapshot.sha256), "the response's payload digest is the snapshot's SHA-256"
    assert {ip for _, _, _, ip in records[1:]} == {"127.0.0.1"}
    lines = snapshot.warc_index.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        f"1,0,0,127:{server.port})/article",
        f"1,0,0,127:{server.port})/redirect/0",
    ]
    assert all(f'"filename": "snapshot-{snapshot.pk}.warc.gz"' in line for line in lines)


def test_a_failed_or_superseded_fetch_keeps_no_warc(claim, server):
    from annotations.services import snapshots

    failed = run(add_source(claim, server.loopback("/gone")))
    assert failed.status == SnapshotStatus.FAILED and not failed.warc and failed.warc_index == ""

    source = add_source(claim, server.loopback("/report"))
    stored: list[str] = []
    real_store = snapshots._store_warc

    def store_then_lose_the_snapshot(*args, **kwargs):
        name, index = real_store(*args, **kwargs)
        stored.append(name)
        Snapshot.objects.filter(pk=source.snapshot_id).update(attempts=2)
        return name, index

    snapshots._store_warc = store_then_lose_the_snapshot
    try:
        assert snapshot_fetch(snapshot_id=source.snapshot_id, connector=guard).status == "superseded"
    finally:
        snapshots._store_warc = real_store
    assert stored and not default_storage.exists(stored[0])
