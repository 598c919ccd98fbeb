"""Every annotation, collection and page the API writes, checked against the W3C Web Annotation Data Model.

Each `check_*` helper is one MUST or SHOULD statement of https://www.w3.org/TR/annotation-model/
(section in the docstring), written from the spec. They run over a desk with every kind of claim:
bare (no body at all), restated, with a verdict (scored and unscored), sources of each stance with
and without a note, comments, an orphan (no position), one without a creator, and an article with
and without a canonical URL and language. Then the same documents are expanded as JSON-LD with
pyld, its document loader serving the shipped W3C contexts and the workbench's served one: no
property may be lost on the way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.utils import timezone
from pyld import jsonld  # type: ignore[import-untyped]  # no stubs or py.typed
from rest_framework.test import APIClient

from annotations.api.w3c import views as webannotation
from annotations.api.w3c.contexts import CONTEXTS_DIR
from annotations.models import Claim, Snapshot, SnapshotStatus, Source
from annotations.services.comments import comment_add
from annotations.services.verdicts import verdict_propose
from tests.factories import ArticleFactory, ClaimFactory, rating

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"
LDP = "http://www.w3.org/ns/ldp.jsonld"
WORKBENCH = "http://testserver/ns/workbench.jsonld"
PREFER_IRIS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'
PREFER_MINIMAL = 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'
MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
    "identifying", "linking", "moderating", "questioning", "replying", "tagging",
}  # fmt: skip
RESOURCE_CLASSES = {"Dataset", "Image", "Video", "Sound", "Text"}
AGENT_CLASSES = {"Person", "Organization", "Software"}
# xsd:dateTime in UTC written with "Z" (RFC 3339 profile), optional fractional seconds.
UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
MEDIA_TYPE = re.compile(r"^(application|audio|example|font|image|message|model|multipart|text|video)/[\w.+-]+$")


# --- Helpers shared with test_webannotation.py ---------------------------------------------------


def local_loader(client: Any) -> Callable[[str, Any], dict[str, Any]]:
    """A pyld document loader that never touches the network: the shipped W3C contexts, and the
    workbench's own context as the app serves it."""
    shipped = {ANNO: CONTEXTS_DIR / "anno.jsonld", LDP: CONTEXTS_DIR / "ldp.jsonld"}

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url in shipped:
            document = json.loads(shipped[url].read_text())
        elif url == WORKBENCH:
            response = client.get("/ns/workbench.jsonld")
            assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
            document = json.loads(response.content)
        else:
            raise AssertionError(f"the test tried to load {url}")
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def expand(document: dict[str, Any], client: Any) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": local_loader(client)})
    return expanded


def nquads(document: dict[str, Any], client: Any) -> str:
    options = {"format": "application/n-quads", "documentLoader": local_loader(client)}
    text: str = jsonld.to_rdf(document, options)
    return text


def walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- One helper per statement of the model -------------------------------------------------------


def check_no_empty_arrays_or_nulls(document: Any) -> None:
    """Model 3.2.6: "The body relationship is omitted when there is no Body" — and JSON-LD drops nulls."""
    for value in walk(document):
        assert value != [] and value is not None, document


def check_context_includes_anno(document: dict[str, Any]) -> None:
    """3.1 / 5.1 / 5.2: 1 or more @context values, http://www.w3.org/ns/anno.jsonld one of them; a single
    value MUST be a string."""
    context = document["@context"]
    assert ANNO in listed(context)
    assert not (isinstance(context, list) and len(context) == 1)


def check_annotation_has_exactly_one_iri(annotation: dict[str, Any]) -> None:
    """3.1: An Annotation MUST have exactly 1 IRI that identifies it."""
    assert isinstance(annotation["id"], str) and annotation["id"].startswith("http")


def check_annotation_type_includes_annotation(annotation: dict[str, Any]) -> None:
    """3.1: An Annotation MUST have 1 or more types, and the Annotation class MUST be one of them."""
    assert "Annotation" in listed(annotation["type"])


def check_annotation_has_targets(annotation: dict[str, Any]) -> None:
    """3.1: There MUST be 1 or more target relationships associated with an Annotation."""
    assert listed(annotation["target"])


def check_annotation_has_bodies_unless_empty(annotation: dict[str, Any], *, expect_bodies: bool) -> None:
    """3.1: There SHOULD be 1 or more body relationships, but MAY be 0; 3.2.6: omitted when there is none."""
    assert ("body" in annotation) is expect_bodies
    if expect_bodies:
        assert len(listed(annotation["body"])) >= 1


def check_body_and_body_value_not_both(annotation: dict[str, Any]) -> None:
    """3.2.5: If the bodyValue property is present, then the body relationship MUST NOT also be present."""
    assert not ("body" in annotation and "bodyValue" in annotation)


def check_external_resource_has_exactly_one_id(resource: Any) -> None:
    """3.2.1: Bodies or Targets which are External Web Resources MUST have exactly 1 id, the resource's IRI."""
    iri = resource if isinstance(resource, str) else resource["id"]
    assert isinstance(iri, str) and re.match(r"^https?://", iri)


def check_resource_class_from_the_list(resource: Any) -> None:
    """3.2.2: a Body or Target's type SHOULD be drawn from Dataset, Image, Video, Sound, Text."""
    if isinstance(resource, dict) and "type" in resource:
        assert set(listed(resource["type"])) <= RESOURCE_CLASSES


def check_resource_format_and_language(resource: dict[str, Any]) -> None:
    """3.2.1: format SHOULD be exactly 1 media type [rfc6838]; language SHOULD be exactly 1 BCP47 code."""
    if "format" in resource:
        assert isinstance(resource["format"], str) and MEDIA_TYPE.match(resource["format"])
    if "language" in resource:
        assert isinstance(resource["language"], str) and re.match(
            r"^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$", resource["language"]
        )


def check_textual_body(body: dict[str, Any]) -> None:
    """3.2.4: The Body SHOULD have the TextualBody class; there MUST be exactly 1 value; format SHOULD be
    exactly 1 (3.2.1, which applies to Textual Bodies too)."""
    assert listed(body["type"]) == ["TextualBody"]
    assert isinstance(body["value"], str)
    assert body["format"] == "text/plain"
    check_resource_format_and_language(body)


def check_datetime_property(resource: dict[str, Any], name: str) -> None:
    """3.3.1: created / modified / generated: at most 1, an xsd:dateTime with the UTC timezone expressed as "Z"."""
    if name in resource:
        value = resource[name]
        assert isinstance(value, str) and UTC_Z.match(value), value
        datetime.fromisoformat(value.replace("Z", "+00:00"))


def check_lifecycle(resource: dict[str, Any]) -> None:
    """3.3.1: There SHOULD be exactly 1 created per resource (MUST NOT be more than 1, MUST be UTC with
    "Z"); modified and generated likewise at most 1; SHOULD be exactly 1 creator (when it is known)."""
    assert "created" in resource
    for name in ("created", "modified", "generated"):
        check_datetime_property(resource, name)
    if "creator" in resource:
        assert not isinstance(resource["creator"], list)
        check_agent(resource["creator"])


def check_agent(agent: dict[str, Any]) -> None:
    """3.3.2: An Agent SHOULD have exactly 1 IRI (MUST NOT have more than 1), 1 or more classes from Person,
    Organization, Software, exactly 1 name and exactly 1 nickname."""
    assert isinstance(agent["id"], str) and agent["id"].startswith("http")
    assert set(listed(agent["type"])) <= AGENT_CLASSES
    assert isinstance(agent["name"], str) and agent["name"]
    assert isinstance(agent["nickname"], str) and agent["nickname"]


def check_motivation(annotation: dict[str, Any]) -> None:
    """3.3.5: There SHOULD be exactly 1 motivation for each Annotation, one of the model's Motivations."""
    assert isinstance(annotation["motivation"], str) and annotation["motivation"] in MOTIVATIONS


def check_purpose(body: dict[str, Any]) -> None:
    """3.3.5 / 4.1: purpose, 0 or more, each one of the model's Motivations."""
    for purpose in listed(body.get("purpose", [])):
        assert purpose in MOTIVATIONS


def check_other_identities(resource: dict[str, Any]) -> None:
    """3.3.7: MAY be exactly 1 canonical IRI; via, 0 or more IRIs. (3.3.6: rights, if any, MUST be IRIs.)"""
    if "canonical" in resource:
        assert not isinstance(resource["canonical"], list) and is_iri(resource["canonical"])
    for name in ("via", "rights"):
        for iri in listed(resource.get(name, [])):
            assert is_iri(iri)


def is_iri(value: Any) -> bool:
    """An absolute IRI (RFC 3987): a scheme, a colon, and no white space (http:, https:, urn:uuid:…)."""
    return isinstance(value, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+", value) is not None


def check_specific_resource(resource: dict[str, Any]) -> None:
    """4: The Specific Resource SHOULD have the SpecificResource class; there MUST be exactly 1 source."""
    assert listed(resource["type"]) == ["SpecificResource"]
    assert not isinstance(resource["source"], list)
    check_external_resource_has_exactly_one_id(resource["source"])


def check_text_quote_selector(selector: dict[str, Any], text: str) -> None:
    """4.2.4: exactly 1 type, TextQuoteSelector; exactly 1 exact; SHOULD have exactly 1 prefix and 1 suffix
    (MUST NOT more than 1); in code points, the text around the quote."""
    assert selector["type"] == "TextQuoteSelector"
    assert isinstance(selector["exact"], str) and selector["exact"]
    assert isinstance(selector["prefix"], str) and isinstance(selector["suffix"], str)
    assert selector["prefix"] + selector["exact"] + selector["suffix"] in text


def check_text_position_selector(selector: dict[str, Any]) -> None:
    """4.2.5: exactly 1 type, TextPositionSelector; exactly 1 start and 1 end, non-negative integers."""
    assert selector["type"] == "TextPositionSelector"
    for name in ("start", "end"):
        assert isinstance(selector[name], int) and not isinstance(selector[name], bool) and selector[name] >= 0
    assert selector["start"] <= selector["end"]


def check_selectors_select_the_same_content(selectors: list[dict[str, Any]], text: str) -> None:
    """4.2: Multiple Selectors SHOULD select the same content (positions in code points, 4.2.4)."""
    quotes = [s for s in selectors if s["type"] == "TextQuoteSelector"]
    positions = [s for s in selectors if s["type"] == "TextPositionSelector"]
    for quote in quotes:
        for position in positions:
            assert text[position["start"] : position["end"]] == quote["exact"]
            assert text[: position["start"]].endswith(quote["prefix"])
            assert text[position["end"] :].startswith(quote["suffix"])


def check_annotation(annotation: dict[str, Any], *, text: str, embedded: bool = False) -> None:
    """The whole annotation, statement by statement."""
    if embedded:
        assert "@context" not in annotation
    else:
        check_context_includes_anno(annotation)
    check_no_empty_arrays_or_nulls(annotation)
    check_annotation_has_exactly_one_iri(annotation)
    check_annotation_type_includes_annotation(annotation)
    check_annotation_has_targets(annotation)
    check_body_and_body_value_not_both(annotation)
    check_motivation(annotation)
    check_other_identities(annotation)
    check_lifecycle(annotation)
    check_agent(annotation["generator"])
    assert listed(annotation["generator"]["type"]) == ["Software"]
    for target in listed(annotation["target"]):
        check_specific_resource(target)
        check_resource_class_from_the_list(target["source"])
        check_resource_format_and_language(target["source"])
        selectors = listed(target["selector"])
        for selector in selectors:
            if selector["type"] == "TextQuoteSelector":
                check_text_quote_selector(selector, text)
            else:
                check_text_position_selector(selector)
        check_selectors_select_the_same_content(selectors, text)
    for body in listed(annotation.get("body", [])):
        check_purpose(body)
        check_other_identities(body)
        if body["type"] == "TextualBody":
            check_textual_body(body)
        else:
            check_specific_resource(body)
        if body.get("purpose") != "describing" or body["type"] != "TextualBody":  # the restated claim has no date
            check_lifecycle(body)


def check_collection(collection: dict[str, Any]) -> None:
    """5.1: @context with anno.jsonld; exactly 1 IRI; type includes AnnotationCollection; SHOULD have 1 or
    more labels (strings); SHOULD have exactly 1 total, a non-negative integer; with total > 0 MUST have
    exactly 1 first page (embedded or an IRI) and SHOULD have the IRI of the last page."""
    check_context_includes_anno(collection)
    check_no_empty_arrays_or_nulls(collection)
    assert isinstance(collection["id"], str) and collection["id"].startswith("http")
    assert "AnnotationCollection" in listed(collection["type"])
    assert all(isinstance(label, str) and label for label in listed(collection["label"]))
    assert isinstance(collection["total"], int) and collection["total"] >= 0
    check_datetime_property(collection, "modified")
    if collection["total"] > 0:
        assert not isinstance(collection["first"], list)
        assert isinstance(collection["first"], str) or "AnnotationPage" in listed(collection["first"]["type"])
        assert isinstance(collection["last"], str) and collection["last"].startswith("http")
    else:
        assert "first" not in collection and "last" not in collection


def check_page(page: dict[str, Any], *, embedded: bool, last: bool, first: bool) -> None:
    """5.2: @context with anno.jsonld unless embedded (then SHOULD NOT have one); exactly 1 IRI; type includes
    AnnotationPage; SHOULD have exactly 1 partOf; MUST have an array of 1 or more items; MUST have next unless
    the last page; SHOULD have prev unless the first; SHOULD have exactly 1 startIndex, a non-negative integer."""
    if embedded:
        assert "@context" not in page
    else:
        check_context_includes_anno(page)
    check_no_empty_arrays_or_nulls(page)
    assert isinstance(page["id"], str) and page["id"].startswith("http")
    assert "AnnotationPage" in listed(page["type"])
    part_of = page["partOf"]
    assert not isinstance(part_of, list) and part_of["id"].startswith("http")
    assert isinstance(part_of["total"], int) and part_of["total"] >= 0
    check_datetime_property(part_of, "modified")
    assert isinstance(page["items"], list) and len(page["items"]) >= 1
    assert ("next" in page) is not last and ("prev" in page) is not first
    assert isinstance(page["startIndex"], int) and page["startIndex"] >= 0


# --- JSON-LD: nothing lost -----------------------------------------------------------------------


def keys(value: Any) -> Any:
    """The shape of a JSON-LD document: its keys, recursively (a single value and a one-item array alike)."""
    if isinstance(value, list):
        return keys(value[0]) if len(value) == 1 else [keys(item) for item in value]
    if isinstance(value, dict):
        return {key: keys(item) for key, item in value.items() if key != "@context"}
    return None


def check_expansion_keeps_every_property(document: dict[str, Any], client: Any) -> None:
    """Expanded with the contexts it names, no property is dropped (compacting the expansion back gives
    the same keys, recursively) and every IRI is absolute (an undefined term would turn relative)."""
    expanded = expand(document, client)
    for value in walk(expanded):
        if isinstance(value, dict):
            for key in value:
                assert key.startswith("@") or re.match(r"^[a-z][a-z0-9+.-]*:", key), key
            if "@id" in value:
                assert re.match(r"^(https?:|urn:|_:)", value["@id"]), value["@id"]
            for kind in listed(value.get("@type", [])):
                assert re.match(r"^https?:", kind), kind
    compacted = jsonld.compact(expanded, {"@context": document["@context"]}, {"documentLoader": local_loader(client)})
    assert keys(compacted) == keys(document)


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
