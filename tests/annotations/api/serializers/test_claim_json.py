"""The claim JSON written by PostgreSQL: every part of the contract, byte for byte what the renderer
writes for the same values read through the ORM, in one query whatever the number of claims."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from annotations.api.renderers import to_json
from annotations.api.serializers.claim_json import (
    CLAIM,
    SOURCE,
    claim_json_by_id,
    claim_rows,
    claims_json,
    claims_raw_json,
    json_objects,
    json_texts,
    verdict_json_by_id,
)
from annotations.models import Claim, ClaimStatus, Snapshot, Source, Verdict
from annotations.services.verdicts import verdict_propose
from tests.factories import ClaimFactory, rating

pytestmark = pytest.mark.django_db

EVIDENCE = [
    {"kind": "number", "label": "48 million", "found": True, "paragraph": 2, "start": 5, "end": 15,
     "excerpt": "costing 48 million – “quoted” \\ \n", "internal": "not shown", "snapshot": 7, "page": 3,
     "mark_start": 8, "mark_end": 18},
    "not an object",
    {"kind": "quote", "found": False, "paragraph": None, "snapshot": 7},
]  # fmt: skip
AWKWARD = 'flood "wall" \\ 100% it\'s\t\x01\x1f\x7f – 東京 👩🏽‍🔬 \u2028 end'
UTC = datetime.UTC


@pytest.fixture
def researched(claim: Any, reviewer: Any, editor: Any) -> Any:
    """A claim with every part filled in, awkward text and times with and without microseconds."""
    Claim.objects.filter(pk=claim.pk).update(
        assignee=editor, claimant="Mayor's office", restated=AWKWARD, restated_by=reviewer,
        restated_at=datetime.datetime(2026, 11, 24, 9, 30, tzinfo=UTC), claim_date=datetime.date(2026, 2, 28),
        due_at=datetime.datetime(2026, 12, 1, 8, 0, 0, 5, tzinfo=UTC), anchor_score=0.8333333333333334,
        prefix=AWKWARD, priority=2,
    )  # fmt: skip
    snapshot = Snapshot.objects.create(
        team=claim.team, url="https://example.org/minutes", final_url="https://example.org/minutes?a=1&b=%20",
        status="fetched", http_status=200, sha256="b" * 64, title=AWKWARD, content_type="text/html",
        size=1234, fetched_at=datetime.datetime(2026, 11, 24, 10, 0, tzinfo=UTC), body="snapshots/2026/11/m.html",
        warc="snapshots/2026/11/snapshot-1-1.warc.gz",
    )  # fmt: skip
    Source.objects.create(team=claim.team, claim=claim, url="https://example.org/minutes", stance="supports",
                          snapshot=snapshot, evidence=EVIDENCE, added_by=reviewer, note=AWKWARD)  # fmt: skip
    Source.objects.create(team=claim.team, claim=claim, url="https://example.org/other", stance="refutes")
    Source.objects.create(team=claim.team, claim=claim, url="https://example.org/odd", stance="context",
                          evidence={"not": "a list"})  # fmt: skip
    verdict_propose(claim=claim, user=reviewer, rating=rating(claim.team, "Mostly true"), summary=AWKWARD)
    return claim


# The contract, written out from model instances: the oracle the SQL must match.


def _user(user: Any) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "username": user.username}


def _verdict(v: Verdict) -> dict[str, Any]:
    r = v.rating
    return {
        "id": v.pk, "rating": {"id": r.pk, "label": r.label, "value": r.value, "color": r.color},
        "summary": v.summary, "rationale": v.rationale, "author": _user(v.author), "created_at": v.created_at,
        "approved_at": v.approved_at, "published_at": v.published_at, "corrects": v.corrects_id,
        "correction_note": v.correction_note, "withdrawn_at": v.withdrawn_at, "retracted_at": v.retracted_at,
        "retraction_note": v.retraction_note,
    }  # fmt: skip


def _passage_url(item: dict[str, Any]) -> str | None:
    if not isinstance(item.get("snapshot"), int):
        return None
    at = isinstance(item.get("start"), int) and isinstance(item.get("end"), int)
    fragment = f"#selector(type=TextPositionSelector,start={item['start']},end={item['end']})" if at else ""
    return f"/snapshots/{item['snapshot']}/text{fragment}"


def _source(s: Source) -> dict[str, Any]:
    snap = s.snapshot
    keys = ("kind", "label", "found", "paragraph", "page", "start", "end", "excerpt", "mark_start", "mark_end")
    evidence = s.evidence if isinstance(s.evidence, list) else []
    return {
        "id": s.pk, "claim": s.claim_id, "url": s.url, "note": s.note, "stance": s.stance,
        "added_by": _user(s.added_by), "created_at": s.created_at,
        "snapshot": None if snap is None else {
            "id": snap.pk, "status": snap.status, "reason": snap.reason, "http_status": snap.http_status,
            "title": snap.title, "final_url": snap.final_url, "sha256": snap.sha256,
            "content_type": snap.content_type, "size": snap.size, "fetched_at": snap.fetched_at,
            "stored_copy_url": f"/snapshots/{snap.pk}/copy" if snap.body else None,
            "warc_url": f"/snapshots/{snap.pk}/warc" if snap.warc else None,
        },
        "evidence": [
            {**{key: item.get(key) for key in keys}, "url": _passage_url(item)}
            for item in evidence if isinstance(item, dict)
        ],
        "evidence_pending": s.evidence_pending,
    }  # fmt: skip


def expected(claim: Claim) -> dict[str, Any]:
    c = Claim.objects.get(pk=claim.pk)
    current = Verdict.objects.filter(claim=c, is_current=True).first()
    return {
        "id": c.pk, "article": c.article_id, "exact": c.exact, "prefix": c.prefix, "suffix": c.suffix,
        "start": c.start, "end": c.end, "anchor_outcome": c.anchor_outcome, "anchor_score": c.anchor_score,
        "anchored_revision": c.anchored_revision, "restated": c.restated, "restated_by": _user(c.restated_by),
        "restated_at": c.restated_at, "claimant": c.claimant, "claimant_kind": c.claimant_kind,
        "claim_date": c.claim_date, "status": c.status, "status_label": ClaimStatus(c.status).label,
        "assignee": _user(c.assignee), "priority": c.priority, "due_at": c.due_at, "version": c.version,
        "created_by": _user(c.created_by), "created_at": c.created_at, "updated_at": c.updated_at,
        "duplicate_of": c.duplicate_of_id, "current_verdict": None if current is None else _verdict(current),
        "sources": [_source(s) for s in Source.objects.filter(claim=c).order_by("created_at", "id")],
        "wacz_url": f"/claims/{c.pk}/sources.wacz",
    }  # fmt: skip


def test_the_sql_writes_the_renderers_bytes_for_every_part(researched: Any) -> None:
    [text] = json_texts(CLAIM, [researched.pk])
    assert text.encode() == to_json(expected(researched))


def test_parsed_json_has_the_python_values_back(researched: Any, reviewer: Any, editor: Any) -> None:
    [item] = claims_json(list(claim_rows(Claim.objects.filter(pk=researched.pk))))
    assert item == expected(researched)
    assert item["restated_at"] == datetime.datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert item["claim_date"] == datetime.date(2026, 2, 28) and item["assignee"]["username"] == "eddie"
    stored, other, odd = item["sources"]
    assert stored["snapshot"]["stored_copy_url"] == f"/snapshots/{stored['snapshot']['id']}/copy"
    assert [e["kind"] for e in stored["evidence"]] == ["number", "quote"] and stored["evidence"][1]["end"] is None
    assert other["snapshot"] is None and other["added_by"] is None and odd["evidence"] == []


def test_a_claim_with_nothing_attached(claim: Any) -> None:
    [text] = json_texts(CLAIM, [claim.pk])
    assert text.encode() == to_json(expected(claim))
    item = claim_json_by_id(claim.pk)
    assert item is not None and item["current_verdict"] is None and item["sources"] == []


def test_only_the_current_verdict_is_shown(researched: Any, reviewer: Any) -> None:
    verdict_propose(claim=researched, user=reviewer, rating=rating(researched.team, "False"), summary="Wrong.")
    item = claim_json_by_id(researched.pk)
    assert item is not None and item["current_verdict"]["summary"] == "Wrong."
    verdicts = Verdict.objects.filter(claim=researched).order_by("id")
    history = [verdict_json_by_id(v.pk) for v in verdicts]
    assert [v["summary"] for v in history] == [AWKWARD, "Wrong."]
    assert history == [_verdict(v) for v in verdicts]


def test_any_number_of_claims_costs_one_query(researched: Any, article: Any, django_assert_num_queries: Any) -> None:
    for i in range(20):
        ClaimFactory(article=article, exact="council", hint=i)
    rows = list(claim_rows(Claim.objects.filter(article=article).order_by("-id")))
    assert len(rows) == 21
    with django_assert_num_queries(1):
        items = claims_json(rows)
    assert [item["id"] for item in items] == [row["id"] for row in rows]
    with django_assert_num_queries(1):
        raw = claims_raw_json(rows)
    assert raw.text.encode() == to_json([expected(Claim(pk=row["id"])) for row in rows])
    with django_assert_num_queries(0):
        assert claims_json([]) == [] and claims_raw_json([]).text == "[]"


def test_claim_instances_give_the_same_json_as_rows(researched: Any, article: Any) -> None:
    later = ClaimFactory(article=article, exact="council")
    instances = [later, researched]
    rows = [{"id": later.pk}, {"id": researched.pk}]
    assert claims_json(instances) == claims_json(rows)
    assert [item["id"] for item in claims_json(instances)] == [later.pk, researched.pk]


def test_a_claim_that_is_gone_has_no_json(claim: Any) -> None:
    claim_id = claim.pk
    claim.delete()
    assert claim_json_by_id(claim_id) is None


def test_sources_json_matches_the_claims_sources(researched: Any) -> None:
    item = claim_json_by_id(researched.pk)
    found = json_objects(SOURCE, Source.objects.filter(claim=researched))
    assert item is not None and sorted(found, key=lambda s: s["created_at"]) == item["sources"]


def test_the_stored_copy_url_follows_the_script_prefix(researched: Any) -> None:
    from django.urls import set_script_prefix

    set_script_prefix("/desk/")
    try:
        item = claim_json_by_id(researched.pk)
    finally:
        set_script_prefix("/")
    assert item is not None
    snapshot = item["sources"][0]["snapshot"]
    assert snapshot["stored_copy_url"] == f"/desk/snapshots/{snapshot['id']}/copy"
    assert snapshot["warc_url"] == f"/desk/snapshots/{snapshot['id']}/warc"
    assert item["wacz_url"] == f"/desk/claims/{researched.pk}/sources.wacz"
    assert claim_json_by_id(researched.pk)["sources"][0]["snapshot"]["stored_copy_url"].startswith("/snapshots/")  # type: ignore[index]


def test_times_now_round_trip(claim: Any) -> None:
    Claim.objects.filter(pk=claim.pk).update(due_at=timezone.now())
    assert claim_json_by_id(claim.pk) == expected(claim)
