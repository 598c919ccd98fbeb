"""The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/), statement by statement.

The shapes of what is served are checked against the Data Model in test_webannotation_model.py;
here: the headers of every method, content negotiation (JSON-LD, JSON, Turtle), the container's
representations and their paging under each `Prefer`, creating, replacing and deleting, and the
workbench's JSON-LD context and agent documents.
"""

from __future__ import annotations

from typing import Any

import pytest
import rdflib
from django.utils import timezone
from rdflib.compare import isomorphic
from rest_framework.test import APIClient

from annotations.api.w3c import views as webannotation
from annotations.models import Claim, Comment, Source
from annotations.services.comments import comment_add
from annotations.services.verdicts import verdict_propose
from tests.annotations.api.w3c_model import ANNO, check_annotation, nquads
from tests.factories import ClaimFactory, rating

pytestmark = pytest.mark.django_db

PROFILE = f'application/ld+json; profile="{ANNO}"'
BASIC_CONTAINER = '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"'
CONSTRAINED_BY = '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
RESOURCE = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
PREFER_IRIS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'
PREFER_DESCRIPTIONS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedDescriptions"'
PREFER_MINIMAL_IRIS = (
    'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer '
    'http://www.w3.org/ns/oa#PreferContainedIRIs"'
)


def methods(response: Any) -> set[str]:
    return {m.strip() for m in response.headers["Allow"].split(",")}


def assert_container_headers(response: Any) -> None:
    """Protocol 4.1: a Link with the container's type and constraints on every response, Allow, and Vary."""
    assert BASIC_CONTAINER in response.headers["Link"] and CONSTRAINED_BY in response.headers["Link"]
    assert {"GET", "HEAD", "OPTIONS", "POST"} <= methods(response)
    assert {"Accept", "Prefer"} <= {v.strip() for v in response.headers["Vary"].split(",")}


def assert_annotation_headers(response: Any, allowed: set[str]) -> None:
    """Protocol 3: a Link to ldp:Resource with rel type, and Allow listing the methods, on every response."""
    assert RESOURCE in response.headers["Link"]
    assert methods(response) == allowed
    assert "Accept" in response.headers["Vary"]


@pytest.fixture
def world(article: Any, reviewer: Any) -> dict[str, Any]:
    claim = ClaimFactory(article=article, exact="flood wall")
    claim.restated = "The wall costs €48m."
    claim.restated_at = timezone.now()
    claim.save()
    verdict_propose(claim=claim, user=reviewer, rating=rating(article.team, "False"), summary="It was €38m.")
    Source.objects.create(team=article.team, claim=claim, url="https://example.org/minutes", stance="refutes")
    comment_add(claim=claim, user=reviewer, body="Check the budget.")
    return {"claim": claim, "url": f"/api/v1/articles/{article.pk}/annotations/{claim.pk}"}


# --- 3. Annotation retrieval ---------------------------------------------------------------------


def test_an_annotation_answers_get_head_and_options(api: APIClient, world: dict[str, Any]) -> None:
    url = world["url"]
    got = api.get(url, HTTP_ACCEPT=PROFILE)
    assert got.status_code == 200 and got.headers["Content-Type"] == PROFILE
    assert_annotation_headers(got, {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
    assert got.headers["ETag"].startswith('"')
    head = api.head(url)
    assert head.status_code == 200 and head.content == b"" and head.headers["ETag"] == got.headers["ETag"]
    assert_annotation_headers(head, {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
    assert api.get(url, HTTP_IF_NONE_MATCH=got.headers["ETag"]).status_code == 304
    # OPTIONS enables CORS pre-flight requests: no credentials, nothing read.
    options = APIClient().options(url, HTTP_ORIGIN="https://reader.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT")
    assert options.status_code == 204
    assert_annotation_headers(options, {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
    assert options.headers["Access-Control-Allow-Origin"] == "*"
    assert "PUT" in options.headers["Access-Control-Allow-Methods"]
    assert "If-Match" in options.headers["Access-Control-Allow-Headers"]
    by_claim = api.get(f"/api/v1/claims/{world['claim'].pk}/annotation")
    assert by_claim.status_code == 200 and by_claim.json()["id"].endswith(url)
    assert_annotation_headers(by_claim, {"GET", "HEAD", "OPTIONS"})
    assert by_claim.json()["canonical"].endswith(f"/api/v1/claims/{world['claim'].pk}/annotation")


def test_errors_carry_the_link_too(api: APIClient, outsider_api: APIClient, world: dict[str, Any]) -> None:
    missing = outsider_api.get(world["url"])
    assert missing.status_code == 404 and missing.headers["Content-Type"] == "application/json"
    assert RESOURCE in missing.headers["Link"]
    anonymous = APIClient().get(world["url"])
    assert anonymous.status_code in (401, 403) and RESOURCE in anonymous.headers["Link"]


def test_content_negotiation(api: APIClient, world: dict[str, Any]) -> None:
    url = world["url"]
    assert api.get(url).headers["Content-Type"] == PROFILE  # no Accept: JSON-LD
    assert api.get(url, HTTP_ACCEPT="application/ld+json").headers["Content-Type"] == PROFILE
    assert api.get(url, HTTP_ACCEPT="application/json").headers["Content-Type"] == "application/json"
    ttl = api.get(url, HTTP_ACCEPT="text/turtle")
    assert ttl.status_code == 200 and ttl.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert "Accept" in ttl.headers["Vary"] and RESOURCE in ttl.headers["Link"]
    assert ttl.headers["ETag"] != api.get(url).headers["ETag"]  # one ETag per representation
    refused = api.get(url, HTTP_ACCEPT="application/rdf+xml")
    assert refused.status_code == 406 and refused.json()["error"]["status"] == 406
    assert api.get(url, HTTP_ACCEPT="text/turtle;q=0.9, application/rdf+xml").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/{article}/annotations/{claim}",
        "/api/v1/articles/{article}/annotations/",
        "/api/v1/articles/{article}/annotations/?iris=1",
        "/api/v1/articles/{article}/annotations/pages/0?iris=0",
        "/api/v1/articles/{article}/annotations/pages/0?iris=1",
    ],
)
def test_turtle_is_the_same_graph_as_the_json_ld(api: APIClient, world: dict[str, Any], path: str) -> None:
    url = path.format(article=world["claim"].article_id, claim=world["claim"].pk)
    ttl = api.get(url, HTTP_ACCEPT="text/turtle")
    assert ttl.status_code == 200
    text = ttl.content.decode()
    assert "+00:00" not in text and 'Z"^^xsd:dateTime' in text  # UTC written with "Z" here too
    from_turtle = rdflib.Graph().parse(data=text, format="turtle")
    from_json_ld = rdflib.Graph().parse(data=nquads(api.get(url).json(), api), format="nt")
    assert len(from_turtle) > 5 and isomorphic(from_turtle, from_json_ld)


def test_a_link_kept_with_characters_no_iri_holds_is_written_as_an_iri(api: APIClient, world: dict[str, Any]) -> None:
    """A cited link is kept as typed (the fetcher percent-encodes it); the annotation gives it as an IRI,
    so JSON-LD processing keeps it and Turtle can write it."""
    claim = world["claim"]
    Source.objects.create(
        team=claim.team, claim=claim, url='https://example.org/report "final" {v2}', stance="supports"
    )
    url = f"/api/v1/articles/{claim.article_id}/annotations/{claim.pk}"
    encoded = "https://example.org/report%20%22final%22%20%7Bv2%7D"
    assert encoded in [body.get("source") for body in api.get(url).json()["body"]]
    ttl = api.get(url, HTTP_ACCEPT="text/turtle")
    assert ttl.status_code == 200
    graph = rdflib.Graph().parse(data=ttl.content.decode(), format="turtle")
    assert [str(term) for term in graph.objects() if "example.org/report" in str(term)] == [encoded]


# --- 4. Containers -------------------------------------------------------------------------------


def test_the_container_headers_on_every_method(api: APIClient, article: Any, world: dict[str, Any]) -> None:
    url = f"/api/v1/articles/{article.pk}/annotations/"
    got = api.get(url)
    assert got.status_code == 200 and got.headers["Content-Type"] == PROFILE
    assert_container_headers(got)
    assert got.headers["Accept-Post"].startswith(PROFILE) and got.headers["ETag"]
    assert got.headers["Content-Location"].endswith(f"{url}?iris=0")
    head = api.head(url)
    assert head.status_code == 200 and head.headers["ETag"] == got.headers["ETag"]
    assert_container_headers(head)
    assert head.headers["Accept-Post"] == got.headers["Accept-Post"]
    options = APIClient().options(url)
    assert options.status_code == 204
    assert_container_headers(options)
    assert options.headers["Accept-Post"] == got.headers["Accept-Post"]
    created = api.post(url, {"target": {"selector": {"type": "TextQuoteSelector", "exact": "council"}}}, format="json")
    assert created.status_code == 201
    assert_container_headers(created)
    refused = api.post(url, {"target": "https://x.org"}, format="json")
    assert refused.status_code == 400
    assert_container_headers(refused)
    assert api.get(url, HTTP_IF_NONE_MATCH=api.get(url).headers["ETag"]).status_code == 304
    ttl = api.get(url, HTTP_ACCEPT="text/turtle")
    assert ttl.status_code == 200 and ttl.headers["Content-Type"].startswith("text/turtle")
    assert_container_headers(ttl)


def test_pages_are_read_only(api: APIClient, article: Any, world: dict[str, Any]) -> None:
    """Protocol 6: 405 for POST to a page; pages are not containers (no ldp type)."""
    page = f"/api/v1/articles/{article.pk}/annotations/pages/0?iris=0"
    got = api.get(page)
    assert got.status_code == 200 and methods(got) == {"GET", "HEAD", "OPTIONS"}
    assert "ldp#BasicContainer" not in got.headers["Link"] and 'rel="collection"' in got.headers["Link"]
    assert got.headers["Content-Location"].endswith(page) and got.headers["ETag"]
    before = Claim.objects.count()
    for url in (page, f"/api/v1/articles/{article.pk}/annotations/pages/0"):
        refused = api.post(
            url, {"target": {"selector": {"type": "TextQuoteSelector", "exact": "council"}}}, format="json"
        )
        assert refused.status_code == 405 and methods(refused) == {"GET", "HEAD", "OPTIONS"}
    assert Claim.objects.count() == before


def test_paging_keeps_the_preference(api: APIClient, article: Any, monkeypatch: Any) -> None:
    """Protocol 4.2: one container IRI per preference; every first, next, prev and last link keeps it."""
    monkeypatch.setattr(webannotation, "PAGE_SIZE", 2)
    for i in range(5):
        ClaimFactory(article=article, exact="council", hint=i)
    url = f"/api/v1/articles/{article.pk}/annotations/"
    iris = api.get(url, HTTP_PREFER=PREFER_IRIS)
    descriptions = api.get(url, HTTP_PREFER=PREFER_DESCRIPTIONS)
    default = api.get(url)
    assert iris.json()["id"].endswith(f"{url}?iris=1") and iris.headers["Content-Location"] == iris.json()["id"]
    assert descriptions.json()["id"].endswith(f"{url}?iris=0") and default.json() == descriptions.json()
    assert iris.headers["ETag"] != descriptions.headers["ETag"]
    for response, flag, item_type in ((iris, "1", str), (descriptions, "0", dict)):
        collection = response.json()
        assert collection["total"] == 5 and collection["last"].endswith(f"pages/2?iris={flag}")
        first = collection["first"]
        assert first["id"].endswith(f"pages/0?iris={flag}") and first["next"].endswith(f"pages/1?iris={flag}")
        assert all(isinstance(item, item_type) for item in first["items"])
        # Following the links without sending Prefer again (protocol 4.3: clients SHOULD NOT).
        second = api.get(first["next"]).json()
        assert second["prev"].endswith(f"pages/0?iris={flag}") and second["next"].endswith(f"pages/2?iris={flag}")
        assert second["startIndex"] == 2 and all(isinstance(item, item_type) for item in second["items"])
        assert second["partOf"]["id"] == collection["id"]
        assert set(second["partOf"]) == {"id", "total", "modified"} and second["partOf"]["total"] == 5
        assert second["partOf"]["modified"] == collection["modified"]
        last = api.get(collection["last"]).json()
        assert "next" not in last and len(last["items"]) == 1
    minimal = api.get(url, HTTP_PREFER=PREFER_MINIMAL_IRIS)
    body = minimal.json()
    assert body["first"].endswith(f"{url}pages/0?iris=1") and body["last"].endswith("pages/2?iris=1")
    assert minimal.headers["ETag"] not in (iris.headers["ETag"], descriptions.headers["ETag"])
    assert api.get(f"{url}?iris=1").json() == iris.json()  # the description's IRI serves it
    assert api.get(f"{url}pages/1", HTTP_PREFER=PREFER_IRIS).json()["id"].endswith("pages/1?iris=1")
    assert api.get(f"{url}pages/9").status_code == 404
    assert api.get(f"{url}pages/-1").status_code == 404 and api.get(f"{url}?iris=2").status_code == 400


def test_the_container_changes_when_a_body_is_added(api: APIClient, article: Any, world: dict[str, Any]) -> None:
    url = f"/api/v1/articles/{article.pk}/annotations/"
    before = api.get(url)
    Comment.objects.create(team=article.team, claim=world["claim"], body="Another look.")
    after = api.get(url)
    assert after.json()["modified"] > before.json()["modified"] and after.headers["ETag"] != before.headers["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=before.headers["ETag"]).status_code == 200


def test_the_container_costs_a_fixed_number_of_queries(
    api: APIClient, article: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        ClaimFactory(article=article, exact="council", hint=i)
    url = f"/api/v1/articles/{article.pk}/annotations/"
    with django_assert_max_num_queries(9):
        assert len(api.get(url).json()["first"]["items"]) == 30
    with django_assert_max_num_queries(9):
        assert api.get(f"{url}pages/0?iris=0").status_code == 200


# --- 5. Creating, replacing and deleting ---------------------------------------------------------


def test_post_creates_an_annotation(api: APIClient, article: Any, reviewer: Any) -> None:
    url = f"/api/v1/articles/{article.pk}/annotations/"
    created = api.post(
        url,
        {
            "@context": ANNO,
            "type": "Annotation",
            "motivation": "assessing",
            "created": "2015-01-31T12:03:45Z",  # the server sets its own
            "target": {
                "type": "SpecificResource",
                "source": article.canonical_url,
                "selector": {"type": "TextQuoteSelector", "exact": "3.1 metres"},
            },
            "body": [
                {"type": "TextualBody", "purpose": "describing", "value": "The river rose 3.1 m."},
                {"type": "TextualBody", "purpose": "commenting", "value": "Check the gauge."},
                {"type": "SpecificResource", "purpose": "linking", "source": "https://example.org/gauge"},
            ],
        },
        HTTP_ACCEPT=PROFILE,
        format="json",
    )
    assert created.status_code == 201, created.json()
    annotation = created.json()
    assert created.headers["Location"] == annotation["id"] and created.headers["ETag"]
    assert created.headers["Content-Type"] == PROFILE
    claim = Claim.objects.get(restated="The river rose 3.1 m.")
    assert annotation["id"].endswith(f"{url}{claim.pk}")  # the container's IRI plus a component
    assert annotation["creator"]["nickname"] == reviewer.username and annotation["created"] != "2015-01-31T12:03:45Z"
    assert [c.body for c in Comment.objects.filter(claim=claim)] == ["Check the gauge."]
    assert Source.objects.get(claim=claim).stance == "supports"
    check_annotation(annotation, text=article.text)
    assert api.get(created.headers["Location"]).json() == annotation


def test_post_accepts_json_ld_and_json(api: APIClient, article: Any) -> None:
    url = f"/api/v1/articles/{article.pk}/annotations/"
    body = '{"target": {"selector": {"type": "TextQuoteSelector", "exact": "council"}}}'
    ld = api.post(url, body, content_type=PROFILE)
    assert ld.status_code == 201
    assert api.post(url, body, content_type="application/json").status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "not an IRI"}, "id"),
        ({"canonical": 7}, "canonical"),
        ({"via": ["https://elsewhere.example/anno/1", ""]}, "via"),
        ({"created": "yesterday"}, "created"),
        ({"type": ["Annotation", "Highlight"]}, "type"),
        ({"target": {"selector": {"type": "TextQuoteSelector", "exact": "council"}, "scope": "x"}}, "target"),
        ({"body": {"type": "TextualBody", "purpose": "commenting", "value": "  "}}, "body"),
        ({"@context": "http://example.org/other.jsonld"}, "@context"),
        ({"motivation": "highlighting"}, "motivation"),
        ({"rights": "https://creativecommons.org/publicdomain/zero/1.0/"}, "rights"),
        ({"body": {"type": "TextualBody", "purpose": "assessing", "value": "False."}}, "body"),
        ({"body": {"type": "TextualBody", "purpose": "tagging", "value": "budget"}}, "body"),
        ({"body": {"type": "TextualBody", "value": "<p>x</p>", "format": "text/html"}}, "body"),
        ({"body": {"type": "Video", "id": "https://example.org/v.mp4"}}, "body"),
        ({"body": "https://example.org/note"}, "body"),
        ({"body": {"type": "SpecificResource", "purpose": "tagging", "source": "https://example.org/"}}, "body"),
        ({"body": [], "bodyValue": "x"}, "bodyValue"),
        (
            {"target": {"source": "https://other.example/", "selector": {"type": "TextQuoteSelector", "exact": "x"}}},
            "target",
        ),
        ({"target": {"selector": {"type": "CssSelector", "value": "p"}}}, "target"),
        ({"target": "https://x.org"}, "target"),
    ],
)
def test_post_refuses_what_it_cannot_keep(api: APIClient, article: Any, change: dict[str, Any], field: str) -> None:
    """Never silently dropped: a verdict body, an unknown property, body or target; nor taken in a shape the
    published JSON Schema refuses."""
    annotation = {"target": {"selector": {"type": "TextQuoteSelector", "exact": "council"}}, **change}
    refused = api.post(f"/api/v1/articles/{article.pk}/annotations/", annotation, format="json")
    assert refused.status_code == 400, refused.json()
    assert field in refused.json()["error"]["fields"] and refused.json()["error"]["message"]
    assert not Claim.objects.filter(article=article).exists()


def test_post_keeps_the_canonical_iri_and_the_copy_s_id_as_via(api: APIClient, article: Any) -> None:
    """Protocol 5.1: a canonical IRI is kept; the id the annotation had elsewhere joins via."""
    url = f"/api/v1/articles/{article.pk}/annotations/"
    canonical = "urn:uuid:dbfb1861-0ecf-41ad-be94-a584e5c4f1df"
    annotation = {
        "id": "https://elsewhere.example/anno/2",
        "canonical": canonical,
        "via": "https://elsewhere.example/anno/1",
        "target": {"selector": {"type": "TextQuoteSelector", "exact": "council"}},
    }
    created = api.post(url, annotation, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["canonical"] == canonical
    assert body["via"] == ["https://elsewhere.example/anno/1", "https://elsewhere.example/anno/2"]
    assert body["id"] != annotation["id"] and created.headers["Location"] == body["id"]
    assert api.get(body["id"]).json()["canonical"] == canonical
    check_annotation(body, text=article.text)
    plain = api.post(url, {"target": {"selector": {"type": "TextQuoteSelector", "exact": "council"}}}, format="json")
    assert "via" not in plain.json() and plain.json()["canonical"].endswith(
        f"/claims/{plain.json()['id'].rsplit('/', 1)[1]}/annotation"
    )
    kept = api.get(body["id"])
    changed = {**kept.json(), "canonical": "urn:uuid:00000000-0000-4000-8000-000000000000"}
    refused = api.put(body["id"], changed, format="json", HTTP_IF_MATCH=kept.headers["ETag"])
    assert refused.status_code == 400 and "canonical" in refused.json()["error"]["fields"]
    moved = {**kept.json(), "via": "https://elsewhere.example/anno/9"}
    refused = api.put(body["id"], moved, format="json", HTTP_IF_MATCH=kept.headers["ETag"])
    assert refused.status_code == 400 and "via" in refused.json()["error"]["fields"]


def test_post_body_value_is_the_restated_claim(api: APIClient, article: Any) -> None:
    annotation = {"target": {"selector": {"type": "TextQuoteSelector", "exact": "council"}}, "bodyValue": "Council."}
    created = api.post(f"/api/v1/articles/{article.pk}/annotations/", annotation, format="json")
    assert created.status_code == 201 and Claim.objects.get().restated == "Council."
    missing = api.post(
        f"/api/v1/articles/{article.pk}/annotations/",
        {"target": {"selector": {"type": "TextQuoteSelector", "exact": "nope"}}},
        format="json",
    )
    assert missing.status_code == 400 and "exact" in missing.json()["error"]["fields"]


def test_put_replaces_the_bodies(api: APIClient, world: dict[str, Any]) -> None:
    url, claim = world["url"], world["claim"]
    got = api.get(url)
    annotation = got.json()
    bodies = [b for b in annotation["body"] if not (b["type"] == "TextualBody" and b["purpose"] == "describing")]
    new = [
        {"type": "TextualBody", "purpose": "describing", "value": "The wall costs €38m."},
        {"type": "TextualBody", "value": "Asked the council for the contract.", "purpose": "commenting"},
        {"type": "SpecificResource", "purpose": "describing", "source": "https://example.org/map"},
    ]
    replaced = api.put(url, {**annotation, "body": bodies + new}, format="json", HTTP_IF_MATCH=got.headers["ETag"])
    assert replaced.status_code == 200, replaced.json()
    assert_annotation_headers(replaced, {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
    assert replaced.headers["ETag"] != got.headers["ETag"]
    claim.refresh_from_db()
    assert claim.restated == "The wall costs €38m."
    assert Comment.objects.filter(claim=claim).count() == 2
    assert Source.objects.filter(claim=claim, url="https://example.org/map", stance="context").exists()
    after = replaced.json()
    assert api.get(url).json() == after  # the new state, as GET shows it
    assert {"describing", "commenting", "assessing", "questioning"} <= {b["purpose"] for b in after["body"]}
    # Sent back unchanged, nothing changes; without the restated claim, it is cleared.
    same = api.put(url, after, format="json", HTTP_IF_MATCH=replaced.headers["ETag"])
    assert same.status_code == 200 and same.json() == after
    cleared = [b for b in after["body"] if not (b["type"] == "TextualBody" and b["purpose"] == "describing")]
    emptied = api.put(url, {**after, "body": cleared}, format="json", HTTP_IF_MATCH=same.headers["ETag"])
    assert emptied.status_code == 200
    claim.refresh_from_db()
    assert claim.restated == ""


def test_put_with_only_a_new_restated_claim(api: APIClient, article: Any) -> None:
    """The audit's case: a claim without verdict, sources or comments, a new TextualBody."""
    claim = ClaimFactory(article=article, exact="flood wall")
    url = f"/api/v1/articles/{article.pk}/annotations/{claim.pk}"
    got = api.get(url)
    assert "body" not in got.json()
    sent = {**got.json(), "body": {"type": "TextualBody", "value": "3.1 metres."}}
    assert api.put(url, sent, format="json").status_code == 428
    assert api.put(url, sent, format="json", HTTP_IF_MATCH='"stale"').status_code == 412
    assert api.put(url, sent, format="json", HTTP_IF_MATCH=f"W/{got.headers['ETag']}").status_code == 412
    ttl_etag = api.get(url, HTTP_ACCEPT="text/turtle").headers["ETag"]
    updated = api.put(url, sent, format="json", HTTP_IF_MATCH=ttl_etag)  # any representation's ETag
    assert updated.status_code == 200
    claim.refresh_from_db()
    assert claim.restated == "3.1 metres."
    stale = api.put(url, sent, format="json", HTTP_IF_MATCH=got.headers["ETag"])
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"


def _without(bodies: list[dict[str, Any]], purpose: str) -> list[dict[str, Any]]:
    return [b for b in bodies if b["purpose"] != purpose]


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda a: {**a, "body": _without(a["body"], "assessing")}, "body"),  # removing the verdict
        (
            lambda a: {**a, "body": [{**b, "value": "True."} if b["purpose"] == "assessing" else b for b in a["body"]]},
            "body",
        ),
        (lambda a: {**a, "body": _without(a["body"], "questioning")}, "body"),  # removing a source
        (lambda a: {**a, "body": _without(a["body"], "commenting")}, "body"),  # removing a comment
        (lambda a: {**a, "body": [*a["body"], {"type": "Choice", "items": []}]}, "body"),
        (lambda a: {**a, "target": {**a["target"], "selector": a["target"]["selector"][:1]}}, "target"),
        (lambda a: {**a, "target": {**a["target"], "source": "https://other.example/"}}, "target"),
        (lambda a: {**a, "canonical": "urn:uuid:dbfb1861-0ecf-41ad-be94-a584e5c4f1df"}, "canonical"),
        (lambda a: {**a, "id": "https://elsewhere.example/1"}, "id"),
        (lambda a: {**a, "created": "2015-01-31T12:03:45Z"}, "created"),
        (lambda a: {**a, "via": "https://elsewhere.example/1"}, "via"),
    ],
)
def test_put_refuses_what_it_cannot_store(api: APIClient, world: dict[str, Any], edit: Any, field: str) -> None:
    got = api.get(world["url"])
    refused = api.put(world["url"], edit(got.json()), format="json", HTTP_IF_MATCH=got.headers["ETag"])
    assert refused.status_code == 400, refused.json()
    assert field in refused.json()["error"]["fields"]
    assert RESOURCE in refused.headers["Link"]
    assert api.get(world["url"]).json() == got.json()


def test_delete(api: APIClient, world: dict[str, Any], editor_api: APIClient) -> None:
    url = world["url"]
    etag = api.get(url).headers["ETag"]
    assert api.delete(url).status_code == 428
    assert api.delete(url, HTTP_IF_MATCH='"stale"').status_code == 412
    deleted = editor_api.delete(url, HTTP_IF_MATCH=etag)
    assert deleted.status_code == 204 and RESOURCE in deleted.headers["Link"]
    assert api.get(url).status_code == 404
    container = api.get(url.rsplit("/", 1)[0] + "/").json()
    assert container["total"] == 0 and "first" not in container  # removed from the container


def test_isolation(outsider_api: APIClient, claim: Any) -> None:
    assert outsider_api.get(f"/api/v1/articles/{claim.article_id}/annotations/").status_code == 404
    assert outsider_api.get(f"/api/v1/articles/{claim.article_id}/annotations/{claim.pk}").status_code == 404
    assert outsider_api.delete(f"/api/v1/articles/{claim.article_id}/annotations/{claim.pk}").status_code == 404
    assert outsider_api.get(f"/api/v1/claims/{claim.pk}/annotation").status_code == 404


def test_a_team_key_reads_but_does_not_write(key_api: APIClient, world: dict[str, Any]) -> None:
    got = key_api.get(world["url"])
    assert got.status_code == 200
    put = key_api.put(world["url"], got.json(), format="json", HTTP_IF_MATCH=got.headers["ETag"])
    assert put.status_code == 403 and RESOURCE in put.headers["Link"]


# --- The workbench's context and agents ----------------------------------------------------------


def test_the_workbench_context_is_served(world: dict[str, Any]) -> None:
    anonymous = APIClient()
    response = anonymous.get("/ns/workbench.jsonld")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response.json()["@context"]) == {"rating", "description"}
    assert anonymous.get("/ns/workbench.jsonld", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert anonymous.head("/ns/workbench.jsonld").status_code == 200
    assert anonymous.post("/ns/workbench.jsonld").status_code == 405


def test_the_agents_are_served(api: APIClient, world: dict[str, Any], reviewer: Any) -> None:
    annotation = api.get(world["url"]).json()
    verdict = next(b for b in annotation["body"] if b["purpose"] == "assessing")
    anonymous = APIClient()
    person = anonymous.get(verdict["creator"]["id"])
    assert person.status_code == 200 and person["Content-Type"] == PROFILE
    assert person.json() == {"@context": ANNO, "id": verdict["creator"]["id"], "type": "Person", "name": "rita"}
    assert str(reviewer.pk) in verdict["creator"]["id"]  # signed, not hidden: the key only cannot be forged
    software = anonymous.get(annotation["generator"]["id"])
    assert software.status_code == 200 and software.json()["type"] == "Software"
    forged = verdict["creator"]["id"].rsplit("/", 1)[0] + f"/{reviewer.pk + 1}.forged"
    assert anonymous.get(forged).status_code == 404
    assert anonymous.get("/ns/agents/1").status_code == 404


# --- OpenAPI -------------------------------------------------------------------------------------


def test_the_schema_documents_the_protocol(client: Any) -> None:
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    container = paths["/api/v1/articles/{article_id}/annotations/"]
    annotation = paths["/api/v1/articles/{article_id}/annotations/{claim_id}"]
    expected = [
        (container, "get", {"200", "400", "401", "403", "404", "406"}),
        (container, "post", {"201", "400", "401", "403", "404", "405", "406"}),
        (annotation, "get", {"200", "401", "403", "404", "406"}),
        (annotation, "put", {"200", "400", "401", "403", "404", "406", "412", "428"}),
        (annotation, "delete", {"204", "401", "403", "404", "412", "428"}),
    ]
    for path, method, statuses in expected:
        assert statuses <= set(path[method]["responses"]), (method, set(path[method]["responses"]))
    assert set(annotation["get"]["responses"]["200"]["content"]) == {
        "application/ld+json",
        "application/json",
        "text/turtle",
    }
