"""Checked against the required fields of the W3C Web Annotation Data Model and Protocol."""

from __future__ import annotations

from typing import Any

import pytest

from annotations.models import Claim, Source
from annotations.services.verdicts import verdict_propose
from tests.factories import ClaimFactory, rating

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"
PROFILE = f'application/ld+json; profile="{ANNO}"'


def assert_annotation(item: dict[str, Any]) -> None:
    """Model §3.1: id (IRI), type Annotation, target; bodies typed; selectors per §4.2."""
    assert item["id"].startswith("http") and item["type"] == "Annotation"
    assert item["motivation"] == "assessing"
    target = item["target"]
    assert target["source"].startswith("http")
    for selector in target["selector"]:
        if selector["type"] == "TextQuoteSelector":
            assert selector["exact"]
        else:
            assert selector["type"] == "TextPositionSelector"
            assert 0 <= selector["start"] < selector["end"]
    for body in item["body"]:
        assert body["type"] in ("TextualBody", "SpecificResource")
        assert body["purpose"] in ("assessing", "describing", "linking", "questioning")
        assert "value" in body if body["type"] == "TextualBody" else body["source"].startswith("http")


def test_claim_as_annotation(api: Any, claim: Any, reviewer: Any) -> None:
    verdict_propose(claim=claim, user=reviewer, rating=rating(claim.team, "False"), summary="It was €38m.")
    claim.restated = "The wall costs €48m."
    claim.save()
    Source.objects.create(team=claim.team, claim=claim, url="https://example.org/minutes", stance="refutes")
    response = api.get(f"/api/v1/claims/{claim.pk}/annotation")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == PROFILE
    item = response.json()
    assert item["@context"] == ANNO
    assert_annotation(item)
    assert item["target"]["source"] == "https://news.example.org/flood-wall"
    types = [s["type"] for s in item["target"]["selector"]]
    assert types == ["TextQuoteSelector", "TextPositionSelector"]
    purposes = {b["purpose"]: b for b in item["body"]}
    assert purposes["assessing"]["rating"]["label"] == "False"
    assert purposes["describing"]["value"] == "The wall costs €48m."
    assert purposes["questioning"]["source"] == "https://example.org/minutes"


def test_container_headers_and_paging(api: Any, article: Any, django_assert_max_num_queries: Any) -> None:
    for i in range(105):
        ClaimFactory(article=article, exact="council", hint=i)
    url = f"/api/v1/articles/{article.pk}/annotations/"
    with django_assert_max_num_queries(10):
        response = api.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == PROFILE
    link = response.headers["Link"]
    assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in link
    assert 'rel="http://www.w3.org/ns/ldp#constrainedBy"' in link
    assert {"GET", "POST", "HEAD", "OPTIONS"} <= {m.strip() for m in response.headers["Allow"].split(",")}
    assert response.headers["ETag"] and "Accept" in response.headers["Vary"] and "Prefer" in response.headers["Vary"]
    assert response.headers["Content-Location"].endswith(url)
    body = response.json()
    assert body["@context"][0] == ANNO
    assert "AnnotationCollection" in body["type"] and "BasicContainer" in body["type"]
    assert body["total"] == 105 and body["last"].endswith("?page=1")
    first = body["first"]
    assert first["type"] == "AnnotationPage" and len(first["items"]) == 100 and first["next"].endswith("?page=1")
    assert first["partOf"]["id"].endswith(url)
    for item in first["items"]:
        assert_annotation(item)
    second = api.get(f"{url}?page=1").json()
    assert second["prev"].endswith("?page=0") and "next" not in second and second["startIndex"] == 100
    assert len(second["items"]) == 5
    assert api.get(url, HTTP_IF_NONE_MATCH=response.headers["ETag"]).status_code == 304
    assert api.head(url).status_code == 200
    options = api.options(url)
    assert options.status_code == 200 and "POST" in options.headers["Allow"]
    iris = api.get(url, HTTP_PREFER='return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"')
    assert all(isinstance(i, str) for i in iris.json()["first"]["items"])
    assert api.get(f"{url}?page=9").status_code == 400


def test_post_put_delete(api: Any, article: Any) -> None:
    url = f"/api/v1/articles/{article.pk}/annotations/"
    created = api.post(
        url,
        {
            "@context": ANNO,
            "type": "Annotation",
            "motivation": "assessing",
            "target": {
                "source": article.canonical_url,
                "selector": {"type": "TextQuoteSelector", "exact": "3.1 metres"},
            },
            "body": {"type": "TextualBody", "purpose": "describing", "value": "The river rose 3.1 m."},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    location = created.headers["Location"]
    assert location == created.json()["id"]
    claim = Claim.objects.get(restated="The river rose 3.1 m.")
    assert location.endswith(f"/annotations/{claim.pk}")
    etag = created.headers["ETag"]
    replacement = {**created.json(), "body": [{"type": "TextualBody", "purpose": "describing", "value": "3.1 metres."}]}
    assert api.put(location, replacement, format="json").status_code == 428
    assert api.put(location, replacement, format="json", HTTP_IF_MATCH='"stale"').status_code == 412
    updated = api.put(location, replacement, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200 and updated.headers["ETag"] != etag
    claim.refresh_from_db()
    assert claim.restated == "3.1 metres."
    stale = api.put(location, replacement, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"
    assert api.delete(location).status_code == 428
    assert api.delete(location, HTTP_IF_MATCH=etag).status_code == 412
    assert api.delete(location, HTTP_IF_MATCH=updated.headers["ETag"]).status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_bad_annotations_are_400(api: Any, article: Any) -> None:
    url = f"/api/v1/articles/{article.pk}/annotations/"
    assert api.post(url, {"target": "https://x.org"}, format="json").status_code == 400
    missing = api.post(url, {"target": {"selector": {"type": "TextQuoteSelector", "exact": "nope"}}}, format="json")
    assert missing.status_code == 400 and "exact" in missing.json()["error"]["fields"]


def test_isolation(outsider_api: Any, claim: Any) -> None:
    assert outsider_api.get(f"/api/v1/articles/{claim.article_id}/annotations/").status_code == 404
    assert outsider_api.get(f"/api/v1/articles/{claim.article_id}/annotations/{claim.pk}").status_code == 404
    assert outsider_api.delete(f"/api/v1/articles/{claim.article_id}/annotations/{claim.pk}").status_code == 404
    assert outsider_api.get(f"/api/v1/claims/{claim.pk}/annotation").status_code == 404
