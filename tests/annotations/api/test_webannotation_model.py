"""Every annotation, collection and page the API writes, checked against the W3C Web Annotation Data Model.

The checks, one per MUST or SHOULD statement of https://www.w3.org/TR/annotation-model/, are in
tests/annotations/api/w3c_model.py. They run over a desk with every kind of claim:
bare (no body at all), restated, with a verdict (scored and unscored), sources of each stance with
and without a note, comments, an orphan (no position), one without a creator, and an article with
and without a canonical URL and language. Then the same documents are expanded as JSON-LD with
pyld, its document loader serving the shipped W3C contexts and the workbench's served one: no
property may be lost on the way.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.api.w3c import views as webannotation
from annotations.models import Claim, Snapshot, SnapshotStatus, Source
from annotations.services.comments import comment_add
from annotations.services.verdicts import verdict_propose
from tests.annotations.api.w3c_model import (
    ANNO,
    LDP,
    PREFER_IRIS,
    PREFER_MINIMAL,
    WORKBENCH,
    check_annotation,
    check_annotation_has_bodies_unless_empty,
    check_collection,
    check_expansion_keeps_every_property,
    check_page,
)
from tests.factories import ArticleFactory, ClaimFactory, rating

pytestmark = pytest.mark.django_db


# --- The desk ------------------------------------------------------------------------------------


@pytest.fixture
def desk(team: Any, reviewer: Any, editor: Any) -> dict[str, Any]:
    article = ArticleFactory(team=team, canonical_url="https://news.example.org/flood-wall", language="en")
    bare = ClaimFactory(article=article, exact="council")
    full = ClaimFactory(article=article, exact="flood wall")
    full.restated = "The wall costs €48m."
    full.restated_at = timezone.now()
    full.restated_by = reviewer
    full.created_by = reviewer
    full.save()
    verdict_propose(claim=full, user=reviewer, rating=rating(team, "False"), summary="It was €38m.")
    minutes = Snapshot.objects.create(
        team=team,
        url="https://example.org/minutes",
        status=SnapshotStatus.FETCHED,
        fetched_at=timezone.now(),
        body="snapshots/2026/11/minutes.html",
        sha256="0" * 64,
    )
    Source.objects.create(
        team=team, claim=full, url="https://example.org/minutes", stance="refutes", note="p. 4", snapshot=minutes
    )
    Source.objects.create(team=team, claim=full, url="https://example.org/budget", stance="supports", added_by=editor)
    Source.objects.create(team=team, claim=full, url="https://example.org/history", stance="context")
    comment_add(claim=full, user=editor, body="Check the April budget.")
    unproven = ClaimFactory(article=article, exact="3.1 metres")
    verdict_propose(claim=unproven, user=reviewer, rating=rating(team, "Unproven"), summary="No record.")
    orphan = ClaimFactory(article=article, exact="Mayor Ines Okafor")
    Claim.objects.filter(pk=orphan.pk).update(start=None, end=None, anchor_outcome="orphan")
    plain = ArticleFactory(team=team)  # no canonical URL, no language
    elsewhere = ClaimFactory(article=plain, exact="April 2025")
    claims = {"bare": bare, "full": full, "unproven": unproven, "orphan": orphan, "elsewhere": elsewhere}
    return {"article": article, "plain": plain, "claims": claims}


def _text(claim: Claim) -> str:
    return Claim.objects.select_related("article").get(pk=claim.pk).article.text


def test_every_annotation_meets_the_model(api: APIClient, desk: dict[str, Any]) -> None:
    for name, claim in desk["claims"].items():
        for url in (
            f"/api/v1/claims/{claim.pk}/annotation",
            f"/api/v1/articles/{claim.article_id}/annotations/{claim.pk}",
        ):
            annotation = api.get(url).json()
            check_annotation(annotation, text=_text(claim))
            check_annotation_has_bodies_unless_empty(annotation, expect_bodies=name in ("full", "unproven"))
            assert annotation["@context"] == [ANNO, WORKBENCH]
            check_expansion_keeps_every_property(annotation, api)


def test_the_annotations_say_what_the_claim_holds(api: APIClient, desk: dict[str, Any], reviewer: Any) -> None:
    full = api.get(f"/api/v1/claims/{desk['claims']['full'].pk}/annotation").json()
    assert full["creator"]["name"] == full["creator"]["nickname"] == "rita"
    assert full["creator"]["type"] == "Person"
    assert full["generator"]["type"] == "Software" and full["generator"]["name"].startswith("Fact-check workbench")
    assert full["canonical"].endswith(f"/api/v1/claims/{desk['claims']['full'].pk}/annotation")
    assert full["target"]["source"] == {"id": "https://news.example.org/flood-wall", "type": "Text", "language": "en"}
    by_purpose: dict[str, list[dict[str, Any]]] = {}
    for body in full["body"]:
        by_purpose.setdefault(body["purpose"], []).append(body)
    [verdict] = by_purpose["assessing"]
    assert verdict["rating"]["label"] == "False" and isinstance(verdict["rating"]["value"], int)
    assert verdict["creator"]["name"] == "rita"
    [restated] = [b for b in by_purpose["describing"] if b["type"] == "TextualBody"]
    assert restated["value"] == "The wall costs €48m."
    assert restated["creator"]["name"] == "rita" and restated["created"].endswith("Z")
    [refuting] = by_purpose["questioning"]
    assert refuting["source"] == "https://example.org/minutes" and refuting["description"] == "p. 4"
    minutes = Snapshot.objects.get(url="https://example.org/minutes")
    assert refuting["state"] == {
        "type": "TimeState",
        "sourceDate": minutes.fetched_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "cached": f"http://testserver/snapshots/{minutes.pk}/copy",
    }
    assert "state" not in by_purpose["linking"][0]  # not preserved yet
    assert "creator" not in refuting  # added without a user
    [supporting] = by_purpose["linking"]
    assert supporting["creator"]["name"] == "eddie" and "description" not in supporting
    [context] = [b for b in by_purpose["describing"] if b["type"] == "SpecificResource"]
    assert context["source"] == "https://example.org/history"
    [comment] = by_purpose["commenting"]
    assert comment["value"] == "Check the April budget." and comment["creator"]["nickname"] == "eddie"
    assert full["modified"] >= comment["created"]
    unproven = api.get(f"/api/v1/claims/{desk['claims']['unproven'].pk}/annotation").json()
    assert unproven["body"][0]["rating"] == {"label": "Unproven"}  # no value: unscored
    assert "creator" not in unproven  # claims marked without a user (imports) have no creator
    orphan = api.get(f"/api/v1/claims/{desk['claims']['orphan'].pk}/annotation").json()
    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"]
    elsewhere = api.get(f"/api/v1/claims/{desk['claims']['elsewhere'].pk}/annotation").json()
    source = elsewhere["target"]["source"]
    assert source["id"].endswith(f"/api/v1/articles/{desk['plain'].pk}/") and "language" not in source


@pytest.mark.parametrize("prefer", ["", PREFER_IRIS, PREFER_MINIMAL])
def test_collections_and_pages_meet_the_model(
    api: APIClient, desk: dict[str, Any], monkeypatch: Any, prefer: str
) -> None:
    monkeypatch.setattr(webannotation, "PAGE_SIZE", 2)  # four claims: two pages
    article = desk["article"]
    container = f"/api/v1/articles/{article.pk}/annotations/"
    collection = api.get(container, HTTP_PREFER=prefer).json()
    check_collection(collection)
    assert collection["@context"] == [ANNO, LDP, WORKBENCH] and collection["total"] == 4
    check_expansion_keeps_every_property(collection, api)
    pages = []
    if isinstance(collection["first"], dict):
        check_page(collection["first"], embedded=True, last=False, first=True)
        url = collection["first"]["next"]
    else:
        url = collection["first"]
    while url:
        page = api.get(url).json()
        pages.append(page)
        check_page(page, embedded=False, last="next" not in page, first="prev" not in page)
        assert page["@context"] == [ANNO, WORKBENCH]
        check_expansion_keeps_every_property(page, api)
        for item in page["items"]:
            if prefer == PREFER_IRIS:
                assert isinstance(item, str) and item.startswith("http")
            else:
                check_annotation(item, text=article.text, embedded=True)
        url = page.get("next")
    assert pages and pages[-1]["id"] == collection["last"]


def test_an_empty_collection_has_no_pages(api: APIClient, team: Any) -> None:
    article = ArticleFactory(team=team)
    collection = api.get(f"/api/v1/articles/{article.pk}/annotations/").json()
    check_collection(collection)
    assert collection["total"] == 0 and "modified" not in collection
    assert api.get(f"/api/v1/articles/{article.pk}/annotations/pages/0").status_code == 404


def test_an_agent_document_expands_without_loss(api: APIClient, desk: dict[str, Any]) -> None:
    full = api.get(f"/api/v1/claims/{desk['claims']['full'].pk}/annotation").json()
    person = APIClient().get(full["creator"]["id"]).json()
    assert person == {"@context": ANNO, "id": full["creator"]["id"], "type": "Person", "name": "rita"}
    software = APIClient().get(full["generator"]["id"]).json()
    assert software == {"@context": ANNO, **full["generator"]}
    for document in (person, software):
        check_expansion_keeps_every_property(document, api)
