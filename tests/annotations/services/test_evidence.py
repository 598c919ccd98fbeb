"""The evidence check: once per (source, claim wording, snapshot), on a fold kept per snapshot, never under
the snapshot's row lock."""

from __future__ import annotations

import datetime
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from annotations import outbox
from annotations.evidence import EVIDENCE_VERSION
from annotations.extraction import pdf_text
from annotations.models import Claim, Snapshot, SnapshotFold, SnapshotStatus, Source
from annotations.services import evidence
from annotations.services.evidence import source_evidence_check, wording_digest
from annotations.services.sources import source_add
from annotations.services.workflow import claim_update
from tests.conftest import database_url
from tests.factories import ArticleFactory, ClaimFactory
from tests.on_commit import work_queued

pytestmark = pytest.mark.django_db

URL = "https://news.example/budget"
REPORT = (
    "Budget passes\n\n"
    "The new defence bill spends 770 billion dollars, up 5 per cent on last year.\n\n"
    "\u201cA historic investment,\u201d officials said on 24 December 2021."
)


def fetched(team: Any, url: str = URL, text: str = REPORT) -> Snapshot:
    return Snapshot.objects.create(
        team=team, url=url, status=SnapshotStatus.FETCHED, sha256="a" * 64, fetched_at=timezone.now(), text=text
    )


@pytest.fixture
def snapshot(team: Any) -> Snapshot:
    return fetched(team)


@pytest.fixture
def claim(team: Any) -> Any:
    article = ArticleFactory(team=team, source="The bill spends $770 billion, up 5%.", source_format="text")
    return ClaimFactory(article=article, exact="spends $770 billion, up 5%")


def cite(claim: Claim, url: str = URL) -> Source:
    return source_add(claim=claim, user=None, url=url, stance="supports")


@pytest.fixture
def no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the report is prepared or searched."""

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        pytest.fail("the evidence was looked for")

    monkeypatch.setattr(evidence, "prepare", forbidden)
    monkeypatch.setattr(evidence, "evidence_in", forbidden)


def test_the_check_records_the_evidence_and_what_it_was_found_for(claim: Claim, snapshot: Snapshot) -> None:
    source = cite(claim)
    assert source.snapshot_id == snapshot.pk and source.evidence_pending and source.evidence == []

    assert source_evidence_check(source_id=source.pk) == "found"

    source.refresh_from_db()
    assert not source.evidence_pending
    assert [(item["kind"], item["found"]) for item in source.evidence] == [
        ("quote", False),
        ("figure", True),
        ("figure", True),
    ]
    assert source.evidence[1]["label"] == "$770 billion — found in the report, paragraph 2"
    assert source.evidence_snapshot_id == snapshot.pk
    assert source.evidence_wording == wording_digest(exact=claim.exact, restated="")
    fold = SnapshotFold.objects.get(snapshot=snapshot)
    assert fold.version == EVIDENCE_VERSION and fold.chars == len(REPORT)
    assert fold.folded.startswith("budget passes the new defence bill spends 770 billion dollars")


def test_a_repeat_is_skipped(
    claim: Claim, snapshot: Snapshot, no_finding: None, django_assert_num_queries: Any
) -> None:
    source = cite(claim)
    Source.objects.filter(pk=source.pk).update(
        evidence=[{"kind": "quote"}],
        evidence_pending=False,
        evidence_snapshot=snapshot,
        evidence_wording=wording_digest(exact=claim.exact, restated=claim.restated),
    )
    with django_assert_num_queries(1):
        assert source_evidence_check(source_id=source.pk) == "current"
    assert Source.objects.get(pk=source.pk).evidence == [{"kind": "quote"}]


def test_another_claim_citing_the_report_uses_its_kept_fold(
    claim: Claim, snapshot: Snapshot, team: Any, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    source_evidence_check(source_id=cite(claim).pk)
    other = cite(ClaimFactory(article=claim.article, exact="spends"))
    monkeypatch.setattr(evidence, "prepare", lambda *a, **k: pytest.fail("the report was prepared again"))

    # The source with its claim; the fold with the text; then the write under the source's row lock.
    with django_assert_num_queries(7) as queries:
        assert source_evidence_check(source_id=other.pk) == "found"

    assert any("FOR NO KEY UPDATE" in q["sql"] and "annotations_source" in q["sql"] for q in queries.captured_queries)
    assert not any("annotations_snapshot" in q["sql"] and "FOR " in q["sql"] for q in queries.captured_queries)
    assert Source.objects.get(pk=other.pk).evidence[0]["found"] is True


def test_a_new_wording_has_the_evidence_found_again(
    claim: Claim,
    snapshot: Snapshot,
    team: Any,
    reviewer: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    checked = cite(claim)
    source_evidence_check(source_id=checked.pk)
    in_flight = Source.objects.create(team=team, claim=claim, url="https://b.example/", stance="context")
    in_flight.snapshot = Snapshot.objects.create(team=team, url="https://b.example/", status=SnapshotStatus.FETCHING)
    in_flight.save()
    failed = Snapshot.objects.create(team=team, url="https://c.example/", status=SnapshotStatus.FAILED, reason="No.")
    gone = Source.objects.create(
        team=team, claim=claim, url=failed.url, stance="context", snapshot=failed, evidence_snapshot=failed,
        evidence_pending=False,
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        claim_update(claim=claim, user=reviewer, version=claim.version, claimant="Ministry of Defence")
    assert work_queued(callbacks) == [] and not Source.objects.get(pk=checked.pk).evidence_pending

    claim.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        claim_update(claim=claim, user=reviewer, version=claim.version, restated="A 5% rise, to $770bn.")

    checks = [c for c in callbacks if getattr(c, "args", ())[:1] == ("annotations.check_evidence",)]
    assert len(checks) == 1, "one send, of the fetched source's check"
    checked.refresh_from_db()
    assert checked.evidence_pending and checked.evidence == [] and checked.evidence_wording == ""
    assert Source.objects.get(pk=in_flight.pk).evidence_pending, "waits for its fetch"
    assert not Source.objects.get(pk=gone.pk).evidence_pending, "a failed fetch has nothing to find"
    monkeypatch.setattr(evidence, "prepare", lambda *a, **k: pytest.fail("the report was prepared again"))
    assert source_evidence_check(source_id=checked.pk) == "found"
    checked.refresh_from_db()
    assert [item["kind"] for item in checked.evidence] == ["quote", "restated", "figure", "figure"]
    assert checked.evidence_wording == wording_digest(exact=claim.exact, restated="A 5% rise, to $770bn.")


def test_a_check_overtaken_by_a_new_wording_or_snapshot_records_nothing(
    claim: Claim, snapshot: Snapshot, team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = cite(claim)
    real = evidence.evidence_in

    def then_reworded(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        Claim.objects.filter(pk=claim.pk).update(restated="Reworded meanwhile.", restated_at=timezone.now())
        return found

    monkeypatch.setattr(evidence, "evidence_in", then_reworded)
    assert source_evidence_check(source_id=source.pk) == "superseded"
    assert Source.objects.filter(pk=source.pk, evidence_pending=True, evidence=[]).exists()

    def then_refetched(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        Source.objects.filter(pk=source.pk).update(snapshot=Snapshot.objects.create(team=team, url=URL))
        return found

    monkeypatch.setattr(evidence, "evidence_in", then_refetched)
    assert source_evidence_check(source_id=source.pk) == "superseded"
    assert Source.objects.filter(pk=source.pk, evidence_pending=True, evidence=[]).exists()
    assert source_evidence_check(source_id=source.pk) == "waiting"
    assert source_evidence_check(source_id=999_999) == "missing"


def test_a_fold_of_another_version_is_made_again(claim: Claim, snapshot: Snapshot) -> None:
    SnapshotFold.objects.create(
        snapshot=snapshot, version=0, chars=len(REPORT), folded="", folded_offsets=b"", loose="", loose_offsets=b""
    )
    source = cite(claim)
    assert source_evidence_check(source_id=source.pk) == "found"
    assert Source.objects.get(pk=source.pk).evidence[1]["found"] is True
    assert SnapshotFold.objects.get(snapshot=snapshot).version == EVIDENCE_VERSION


def test_a_report_without_text_has_no_evidence(claim: Claim, team: Any) -> None:
    fetched(team, text="  \n")
    source = cite(claim)
    assert source_evidence_check(source_id=source.pk) == "found"
    source.refresh_from_db()
    assert source.evidence == [] and not source.evidence_pending
    assert not SnapshotFold.objects.exists()


def test_evidence_in_a_huge_text_is_looked_for_in_its_first_part(
    claim: Claim, team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "EVIDENCE_MAX_CHARS", 60)
    fetched(team, text="It rose 5% this year, say the officials of the ministry.\n\nLater: spending was $770 billion.")
    source = cite(claim)
    source_evidence_check(source_id=source.pk)
    items = {item["label"].split(" — ")[0]: item for item in Source.objects.get(pk=source.pk).evidence}

    assert items["5%"]["found"] is True
    assert items["$770 billion"]["found"] is False
    assert items["$770 billion"]["label"].endswith("not found in the first 60 characters of the report")
    assert SnapshotFold.objects.get().chars == 60


def test_the_outbox_sends_the_checks_that_are_due(claim: Claim, snapshot: Snapshot, team: Any) -> None:
    now = timezone.now()
    ago = now - datetime.timedelta(minutes=10)
    running = Snapshot.objects.create(team=team, url="https://r.example/", status=SnapshotStatus.FETCHING)

    def source(**fields: Any) -> int:
        return Source.objects.create(team=team, claim=claim, url=URL, stance="supports", **fields).pk

    unsent = source(snapshot=snapshot)  # the broker was down
    lost = source(snapshot=snapshot, evidence_queued_at=ago)  # a worker lost it
    source(snapshot=snapshot, evidence_queued_at=now)  # just sent
    source(snapshot=running)  # its fetch queues it
    source(snapshot=snapshot, evidence_pending=False, evidence_snapshot=snapshot)  # found

    assert outbox.due(outbox.EVIDENCE, now=now) == [unsent, lost]


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_row_is_never_locked_while_evidence_is_found(
    claim: Claim, snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second connection locks the snapshot row while the report is searched; and holds the lock a
    fetch takes to record its result while a check prepares, keeps and records everything."""
    other = psycopg.connect(database_url(connection.settings_dict))
    snapshots, sources = Snapshot._meta.db_table, Source._meta.db_table
    source = cite(claim)
    real = evidence.evidence_in
    searched: list[bool] = []

    def while_searching(*args: Any, **kwargs: Any) -> Any:
        assert not connection.in_atomic_block
        with other.transaction():
            other.execute(f"SELECT 1 FROM {snapshots} WHERE id = %s FOR UPDATE NOWAIT", [snapshot.pk])
            other.execute(f"SELECT 1 FROM {sources} WHERE id = %s FOR UPDATE NOWAIT", [source.pk])
        searched.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(evidence, "evidence_in", while_searching)
    try:
        assert source_evidence_check(source_id=source.pk) == "found"
        assert searched == [True]

        second = fetched(claim.team, url="https://news.example/second")
        cited = cite(claim, url=second.url)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")
        with other.transaction():
            other.execute(f"SELECT 1 FROM {snapshots} WHERE id = %s FOR NO KEY UPDATE", [second.pk])
            assert source_evidence_check(source_id=cited.pk) == "found"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
        other.close()
    assert SnapshotFold.objects.filter(snapshot=second).exists()
    assert not Source.objects.get(pk=cited.pk).evidence_pending


def test_the_evidence_names_its_snapshot_and_in_a_pdf_its_page(claim: Claim, team: Any) -> None:
    pages = ["  Cover page.  ", "Contents.", f"The minister said the {claim.exact}."]
    pdf = Snapshot.objects.create(
        team=team, url="https://gov.example/report.pdf", status=SnapshotStatus.FETCHED, sha256="c" * 64,
        content_type="application/pdf", text=pdf_text(pages), pages=pages,
    )  # fmt: skip
    source = Source.objects.create(team=team, claim=claim, url=pdf.url, stance="supports", snapshot=pdf)

    assert source_evidence_check(source_id=source.pk) == "found"

    [quote, *_] = Source.objects.get(pk=source.pk).evidence
    assert quote["found"] and quote["snapshot"] == pdf.pk and quote["page"] == 3
    assert quote["label"] == "The quoted claim — found in the report, page 3"
    assert pdf.text[quote["start"] : quote["end"]] == claim.exact
