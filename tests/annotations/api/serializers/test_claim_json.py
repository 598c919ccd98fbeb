"""The claim JSON built from rows: every part of the contract, in a fixed two queries per page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from annotations.api.serializers.claim_json import (
    claim_json_by_id,
    claim_rows,
    claims_json,
    source_rows,
    sources_json,
    verdict_rows,
    verdicts_json,
)
from annotations.models import Claim, Snapshot, Source, Verdict
from annotations.services.verdicts import verdict_propose
from tests.factories import ClaimFactory, rating

pytestmark = pytest.mark.django_db

EVIDENCE = [
    {"kind": "number", "label": "48 million", "found": True, "paragraph": 2, "start": 5, "end": 15,
     "excerpt": "costing 48 million", "internal": "not shown"},
    "not an object",
]  # fmt: skip


@pytest.fixture
def researched(claim: Any, reviewer: Any, editor: Any) -> Any:
    """A claim with an assignee, a current verdict and two sources, one of them fetched and stored."""
    Claim.objects.filter(pk=claim.pk).update(assignee=editor, claimant="Mayor")
    snapshot = Snapshot.objects.create(
        team=claim.team, url="https://example.org/minutes", final_url="https://example.org/minutes",
        status="fetched", http_status=200, sha256="b" * 64, title="Minutes", content_type="text/html",
        size=1234, fetched_at=timezone.now(), body="snapshots/2026/11/minutes.html",
    )  # fmt: skip
    Source.objects.create(team=claim.team, claim=claim, url="https://example.org/minutes", stance="supports",
                          snapshot=snapshot, evidence=EVIDENCE, added_by=reviewer, note="Council minutes")  # fmt: skip
    Source.objects.create(team=claim.team, claim=claim, url="https://example.org/other", stance="refutes")
    verdict_propose(claim=claim, user=reviewer, rating=rating(claim.team, "Mostly true"), summary="Close.")
    return claim


def test_every_part_of_a_researched_claim(researched: Any, reviewer: Any, editor: Any) -> None:
    [item] = claims_json(list(claim_rows(Claim.objects.filter(pk=researched.pk))))
    assert item["exact"] == "flood wall" and item["claimant"] == "Mayor" and item["status_label"] == "New"
    assert item["assignee"] == {"id": editor.pk, "username": "eddie"}
    verdict = item["current_verdict"]
    assert verdict["summary"] == "Close." and verdict["author"] == {"id": reviewer.pk, "username": "rita"}
    assert verdict["rating"]["label"] == "Mostly true" and set(verdict["rating"]) == {"id", "label", "value", "color"}
    stored, other = item["sources"]
    assert stored["added_by"] == {"id": reviewer.pk, "username": "rita"} and stored["note"] == "Council minutes"
    assert stored["snapshot"]["sha256"] == "b" * 64 and stored["snapshot"]["title"] == "Minutes"
    assert stored["snapshot"]["stored_copy_url"] == f"/snapshots/{stored['snapshot']['id']}/copy"
    assert "body" not in stored["snapshot"] and "text" not in stored["snapshot"]
    assert stored["evidence"] == [{k: v for k, v in EVIDENCE[0].items() if k != "internal"}]
    assert other["snapshot"] is None and other["added_by"] is None and other["evidence"] == []


def test_only_the_current_verdict_is_shown(researched: Any, reviewer: Any) -> None:
    verdict_propose(claim=researched, user=reviewer, rating=rating(researched.team, "False"), summary="Wrong.")
    item = claim_json_by_id(researched.pk)
    assert item is not None and item["current_verdict"]["summary"] == "Wrong."
    history = verdicts_json(verdict_rows(Verdict.objects.filter(claim=researched).order_by("id")))
    assert [v["summary"] for v in history] == ["Close.", "Wrong."]
    assert history[0]["rating"]["label"] == "Mostly true" and history[1]["author"]["username"] == "rita"


def test_a_page_costs_two_queries_whatever_its_size(
    researched: Any, article: Any, django_assert_num_queries: Any
) -> None:
    for i in range(20):
        ClaimFactory(article=article, exact="council", hint=i)
    rows = list(claim_rows(Claim.objects.filter(article=article).order_by("id")))
    assert len(rows) == 21
    with django_assert_num_queries(2):
        items = claims_json(rows)
    assert [item["id"] for item in items] == [row["id"] for row in rows]
    with django_assert_num_queries(0):
        assert claims_json([]) == []


def test_claim_instances_give_the_same_json_as_rows(researched: Any, article: Any) -> None:
    later = ClaimFactory(article=article, exact="council")
    instances = [later, researched]
    rows = list(claim_rows(Claim.objects.filter(pk__in=[later.pk, researched.pk])))
    rows.sort(key=lambda row: -row["id"])
    from_rows = claims_json(rows)
    assert claims_json(instances) == from_rows
    assert [item["id"] for item in claims_json(instances)] == [later.pk, researched.pk]


def test_a_claim_that_is_gone_has_no_json(claim: Any) -> None:
    claim_id = claim.pk
    claim.delete()
    assert claim_json_by_id(claim_id) is None


def test_sources_json_matches_the_claims_sources(researched: Any) -> None:
    rows = source_rows(Source.objects.filter(claim=researched).order_by("created_at", "id"))
    item = claim_json_by_id(researched.pk)
    assert item is not None and sources_json(rows) == item["sources"]
