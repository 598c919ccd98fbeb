"""The W3C Web Annotation Data Model's statements as checks, for the tests of what the API writes.

Each `check_*` function is one MUST or SHOULD statement of https://www.w3.org/TR/annotation-model/
(section in the docstring), written from the spec; `check_expansion_keeps_every_property` expands a
document as JSON-LD with pyld, its document loader serving the shipped W3C contexts and the
workbench's served one, and fails if a property is lost on the way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from pyld import jsonld  # type: ignore[import-untyped]  # no stubs or py.typed

from annotations.api.w3c.contexts import CONTEXTS_DIR

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


# --- Reading JSON-LD -----------------------------------------------------------------------------


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
