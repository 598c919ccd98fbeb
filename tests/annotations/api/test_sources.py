from __future__ import annotations

from typing import Any

import pytest

from annotations import outbox
from annotations.models import Snapshot, Source
from tests.on_commit import work_queued

pytestmark = pytest.mark.django_db


def test_add_source_queues_a_fetch_and_returns_the_snapshot(
    api: Any, claim: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(
            f"/api/v1/claims/{claim.pk}/sources/",
            {"url": "https://example.org/report", "note": "Minutes", "stance": "supports"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stance"] == "supports" and body["snapshot"]["status"] == "pending"
    assert len(work_queued(callbacks)) == 1  # the fetch is queued once the transaction commits
    assert api.get(f"/api/v1/sources/{body['id']}/").json()["url"] == "https://example.org/report"


def test_bad_source_input_is_a_field_error(api: Any, claim: Any) -> None:
    bad = api.post(f"/api/v1/claims/{claim.pk}/sources/", {"url": "ftp://x", "stance": "supports"}, format="json")
    assert bad.status_code == 400 and "url" in bad.json()["error"]["fields"]
    bad = api.post(f"/api/v1/claims/{claim.pk}/sources/", {"url": "https://x.org", "stance": "maybe"}, format="json")
    assert bad.status_code == 400 and "stance" in bad.json()["error"]["fields"]


def test_refetch_is_202(api: Any, claim: Any) -> None:
    snapshot = Snapshot.objects.create(
        team=claim.team, url="https://example.org/r", status="failed", reason="Timed out"
    )
    source = Source.objects.create(
        team=claim.team, claim=claim, url="https://example.org/r", stance="refutes", snapshot=snapshot
    )
    response = api.post(f"/api/v1/sources/{source.pk}/refetch/")
    assert response.status_code == 202
    assert response.json()["snapshot"]["id"] != snapshot.pk


def test_isolation_and_query_count(api: Any, outsider_api: Any, claim: Any, django_assert_max_num_queries: Any) -> None:
    source = Source.objects.create(team=claim.team, claim=claim, url="https://example.org/0", stance="context")
    assert outsider_api.get(f"/api/v1/sources/{source.pk}/").status_code == 404
    assert outsider_api.post(f"/api/v1/sources/{source.pk}/refetch/").status_code == 404
    with django_assert_max_num_queries(8) as few:
        api.get(f"/api/v1/claims/{claim.pk}/sources/")
    for i in range(10):
        snapshot = Snapshot.objects.create(team=claim.team, url=f"https://example.org/{i}")
        Source.objects.create(team=claim.team, claim=claim, url=snapshot.url, stance="context", snapshot=snapshot)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(f"/api/v1/claims/{claim.pk}/sources/").json()["results"]) == 11


def test_citing_a_fetched_report_leaves_the_evidence_to_the_worker(
    api: Any, claim: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    from annotations.services import evidence

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        pytest.fail("the request looked for evidence")

    monkeypatch.setattr(evidence, "prepare", forbidden)
    monkeypatch.setattr(evidence, "evidence_in", forbidden)
    snapshot = Snapshot.objects.create(
        team=claim.team, url="https://example.org/report", status="fetched", sha256="c" * 64,
        fetched_at=timezone.now(), text="The council approved a flood wall. " * 30_000,
    )  # fmt: skip
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(
            f"/api/v1/claims/{claim.pk}/sources/", {"url": snapshot.url, "stance": "supports"}, format="json"
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["snapshot"]["id"] == snapshot.pk, "the recent copy is reused: no fetch"
    assert body["evidence"] == [] and body["evidence_pending"] is True
    [queued] = work_queued(callbacks)  # the evidence check, sent once the transaction commits
    assert queued.args == (outbox.EVIDENCE, (body["id"],))
