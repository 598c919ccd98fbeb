"""A claim as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/), motivation "assessing".

The target is a SpecificResource: the article (its canonical URL, or its API URL when it has
none) with a TextQuoteSelector and, unless the claim is an orphan, a TextPositionSelector in code
points. The bodies are the current verdict (purpose "assessing", with its rating), the restated
claim ("describing"), the cited sources (SpecificResource; "linking" for support, "questioning"
for refutation, "describing" for context) and the comments ("commenting"). An annotation with
none of these has no `body` at all: the model has no empty arrays.

Times are xsd:dateTime in UTC written with "Z". The creator is the claim's creator and the
generator the workbench itself, each an Agent whose IRI the app serves (`/ns/agents/<key>`,
annotations.views.ns). Properties that are not W3C terms (`rating`, a source's `description`)
are defined in the workbench's own context, `/ns/workbench.jsonld`, listed in `@context` after
the W3C one, so that JSON-LD processing keeps every property.

`read_annotation` goes the other way: an annotation sent with POST or PUT becomes the claim's
selectors, its restated wording, new sources and new comments, or an InvalidInput naming what the
workbench cannot store.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import rdflib
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers
from rest_framework.request import Request

from annotations.errors import InvalidInput
from annotations.models import Article, Comment, Stance

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
ANNO_PROFILE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
CONTEXTS_DIR = Path(__file__).resolve().parent.parent / "contexts"
# The W3C contexts by their IRIs, read from the copies shipped in CONTEXTS_DIR: never fetched.
SHIPPED_CONTEXTS = {ANNO_CONTEXT: "anno.jsonld", LDP_CONTEXT: "ldp.jsonld"}
WORKBENCH_CONTEXT_FILE = "workbench.jsonld"

STANCE_PURPOSE = {Stance.SUPPORTS: "linking", Stance.REFUTES: "questioning", Stance.CONTEXT: "describing"}
PURPOSE_STANCE = {purpose: stance.value for stance, purpose in STANCE_PURPOSE.items()}
SOFTWARE_AGENT = "workbench"  # the key of the generator's IRI; a person's key is signed (see agent_key)
_AGENT_SALT = "annotations.webannotation.agent"
AnyRequest = Request | HttpRequest  # IRIs are absolute: only build_absolute_uri is used


# --- Contexts ------------------------------------------------------------------------------------


@cache
def context_file(name: str) -> bytes:
    return (CONTEXTS_DIR / name).read_bytes()


def context_document(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(context_file(name))
    return document


def workbench_context_url(request: AnyRequest) -> str:
    return request.build_absolute_uri(reverse("ns-workbench-context"))


def local_contexts(request: AnyRequest) -> dict[str, dict[str, Any]]:
    """Every context the annotations name, by IRI, as documents: a document loader that never fetches."""
    documents = {iri: context_document(name) for iri, name in SHIPPED_CONTEXTS.items()}
    documents[workbench_context_url(request)] = context_document(WORKBENCH_CONTEXT_FILE)
    return documents


def annotation_context(request: AnyRequest) -> list[str]:
    return [ANNO_CONTEXT, workbench_context_url(request)]


def container_context(request: AnyRequest) -> list[str]:
    return [ANNO_CONTEXT, LDP_CONTEXT, workbench_context_url(request)]


# --- Values --------------------------------------------------------------------------------------


def xsd_datetime(value: datetime) -> str:
    """xsd:dateTime in UTC with "Z", as the model requires (microseconds only when there are some)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def annotation_id(request: AnyRequest, article_id: int, claim_id: int) -> str:
    return request.build_absolute_uri(reverse("api-article-annotation", args=[article_id, claim_id]))


def canonical_id(request: AnyRequest, claim_id: int) -> str:
    """The IRI the workbench mints as the annotation's identity wherever it is copied: the claim's own."""
    return request.build_absolute_uri(reverse("api-claim-annotation", args=[claim_id]))


def article_target_source(request: AnyRequest, article: Article) -> str:
    return article.canonical_url or request.build_absolute_uri(reverse("api-article", args=[article.pk]))


# --- Agents --------------------------------------------------------------------------------------


def agent_key(user_id: int) -> str:
    """A person's agent key: the user id, signed, so agent IRIs cannot be guessed or enumerated."""
    return signing.Signer(salt=_AGENT_SALT, sep=".").sign(str(user_id))


def agent_user_id(key: str) -> int | None:
    try:
        value = signing.Signer(salt=_AGENT_SALT, sep=".").unsign(key)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def agent_iri(request: AnyRequest, key: str) -> str:
    return request.build_absolute_uri(reverse("ns-agent", args=[key]))


def person_json(request: AnyRequest, user: Mapping[str, Any]) -> dict[str, Any]:
    """A user ({"id", "username"}) as a Person. The workbench shows users by their username."""
    return {
        "id": agent_iri(request, agent_key(user["id"])),
        "type": "Person",
        "name": user["username"],
        "nickname": user["username"],
    }


def software_json(request: AnyRequest) -> dict[str, Any]:
    """The workbench as the Software that generates every annotation's serialization."""
    return {
        "id": agent_iri(request, SOFTWARE_AGENT),
        "type": "Software",
        "name": f"Fact-check workbench {_version()}".strip(),
        "nickname": "factcheck-workbench",
    }


@cache
def _version() -> str:
    try:
        return metadata.version("factcheck-workbench")
    except metadata.PackageNotFoundError:
        return ""


# --- Annotations ---------------------------------------------------------------------------------


def comment_rows(claim_ids: Iterable[int]) -> dict[int, list[Mapping[str, Any]]]:
    """The comments of the claims ({"body", "created_at", "author"}), oldest first, by claim id (one query)."""
    found: dict[int, list[Mapping[str, Any]]] = {claim_id: [] for claim_id in claim_ids}
    rows = Comment.objects.filter(claim_id__in=list(found)).order_by("created_at", "id")
    for row in rows.values("claim_id", "body", "created_at", "author_id", "author__username"):
        author = None if row["author_id"] is None else {"id": row["author_id"], "username": row["author__username"]}
        found[row["claim_id"]].append({"body": row["body"], "created_at": row["created_at"], "author": author})
    return found


def _creator(request: Request, user: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if user is None else person_json(request, user)


def _with(item: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """`item` plus the optional properties that have a value: JSON-LD drops nulls, the model empty arrays."""
    item.update({name: value for name, value in optional.items() if value not in (None, "", [], {})})
    return item


def _bodies(request: Request, claim: Mapping[str, Any], comments: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    verdict = claim["current_verdict"]
    if verdict is not None:
        rating = _with({"label": verdict["rating"]["label"]}, value=verdict["rating"]["value"])
        bodies.append(
            _with(
                {"type": "TextualBody", "purpose": "assessing", "value": verdict["summary"], "format": "text/plain"},
                rating=rating,
                creator=_creator(request, verdict["author"]),
                created=xsd_datetime(verdict["created_at"]),
            )
        )
    if claim["restated"]:
        bodies.append(
            {"type": "TextualBody", "purpose": "describing", "value": claim["restated"], "format": "text/plain"}
        )
    for source in claim["sources"]:
        bodies.append(
            _with(
                {
                    "type": "SpecificResource",
                    "purpose": STANCE_PURPOSE.get(Stance(source["stance"]), "linking"),
                    "source": source["url"],
                },
                description=source["note"],
                creator=_creator(request, source["added_by"]),
                created=xsd_datetime(source["created_at"]),
            )
        )
    for comment in comments:
        bodies.append(
            _with(
                {"type": "TextualBody", "purpose": "commenting", "value": comment["body"], "format": "text/plain"},
                creator=_creator(request, comment["author"]),
                created=xsd_datetime(comment["created_at"]),
            )
        )
    return bodies


def annotation_modified(claim: Mapping[str, Any], comments: Sequence[Mapping[str, Any]]) -> datetime:
    """When the annotation last changed: the claim itself, or a body added to it since."""
    times = [claim["updated_at"], *(source["created_at"] for source in claim["sources"])]
    times += [comment["created_at"] for comment in comments]
    if claim["current_verdict"] is not None:
        times.append(claim["current_verdict"]["created_at"])
    return max(times)


def target_json(request: Request, claim: Mapping[str, Any], article: Article) -> dict[str, Any]:
    quote = {"type": "TextQuoteSelector", "exact": claim["exact"], "prefix": claim["prefix"], "suffix": claim["suffix"]}
    selectors: list[dict[str, Any]] = [quote]
    if claim["start"] is not None and claim["end"] is not None:
        selectors.append({"type": "TextPositionSelector", "start": claim["start"], "end": claim["end"]})
    source = _with({"id": article_target_source(request, article), "type": "Text"}, language=article.language)
    return {"type": "SpecificResource", "source": source, "selector": selectors}


def annotation_json(
    claim: Mapping[str, Any],
    *,
    request: Request,
    article: Article,
    comments: Sequence[Mapping[str, Any]],
    with_context: bool = True,
) -> dict[str, Any]:
    """The claim JSON (from `claims_json`) and its comments (from `comment_rows`) as a Web Annotation."""
    annotation: dict[str, Any] = {"@context": annotation_context(request)} if with_context else {}
    annotation.update(
        _with(
            {
                "id": annotation_id(request, claim["article"], claim["id"]),
                "type": "Annotation",
                "motivation": "assessing",
                "canonical": canonical_id(request, claim["id"]),
                "created": xsd_datetime(claim["created_at"]),
                "modified": xsd_datetime(annotation_modified(claim, comments)),
            },
            creator=_creator(request, claim["created_by"]),
            generator=software_json(request),
            body=_bodies(request, claim, comments),
        )
    )
    annotation["target"] = target_json(request, claim, article)
    return annotation


# --- Collections and pages -----------------------------------------------------------------------


def description_iri(container: str, *, iris: bool) -> str:
    """The IRI of the container's description with contained IRIs (?iris=1) or descriptions (?iris=0)."""
    return f"{container}?iris={int(iris)}"


def page_iri(container: str, number: int, *, iris: bool) -> str:
    return f"{description_iri(container, iris=iris)}&page={number}"


@dataclass(frozen=True)
class ContainerState:
    """What a collection and each of its pages say about the whole: how many annotations, last change."""

    container: str
    label: str
    total: int
    modified: datetime | None
    page_size: int
    iris: bool

    @property
    def last_page(self) -> int:
        return max(0, (self.total - 1) // self.page_size)

    @property
    def id(self) -> str:
        return description_iri(self.container, iris=self.iris)


def collection_json(
    state: ContainerState, *, request: Request, first: dict[str, Any] | None, minimal: bool
) -> dict[str, Any]:
    """The container as an AnnotationCollection; `first` is the first page, embedded unless `minimal`."""
    collection: dict[str, Any] = {
        "@context": container_context(request),
        "id": state.id,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": state.label,
        "total": state.total,
    }
    if state.modified is not None:
        collection["modified"] = xsd_datetime(state.modified)
    if state.total:
        collection["first"] = page_iri(state.container, 0, iris=state.iris) if minimal or first is None else first
        collection["last"] = page_iri(state.container, state.last_page, iris=state.iris)
    return collection


def page_json(
    state: ContainerState, number: int, items: list[Any], *, request: Request, embedded: bool
) -> dict[str, Any]:
    """One AnnotationPage; embedded in the collection it has no @context of its own (model 5.2)."""
    page: dict[str, Any] = {} if embedded else {"@context": annotation_context(request)}
    part_of: dict[str, Any] = {"id": state.id, "total": state.total}
    if state.modified is not None:
        part_of["modified"] = xsd_datetime(state.modified)
    page.update(
        {
            "id": page_iri(state.container, number, iris=state.iris),
            "type": "AnnotationPage",
            "partOf": part_of,
            "startIndex": number * state.page_size,
            "items": items,
        }
    )
    if number < state.last_page:
        page["next"] = page_iri(state.container, number + 1, iris=state.iris)
    if number > 0:
        page["prev"] = page_iri(state.container, number - 1, iris=state.iris)
    return page


# --- Turtle --------------------------------------------------------------------------------------

_XSD_DATETIME = rdflib.XSD.dateTime


def turtle(document: Mapping[str, Any], *, request: Request) -> bytes:
    """The JSON-LD document as Turtle, its contexts read from the shipped copies (nothing is fetched)."""
    contexts = local_contexts(request)
    named = document.get("@context")
    iris = named if isinstance(named, list) else [named]
    unknown = [iri for iri in iris if iri not in contexts]
    if unknown:
        raise ValueError(f"No local copy of the context {unknown[0]!r}.")
    inline = {**document, "@context": [contexts[iri]["@context"] for iri in iris]}
    graph = rdflib.Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib 7's parser uses its own ConjunctiveGraph
        graph.parse(data=json.dumps(inline), format="json-ld")
    for subject, predicate, value in list(graph):
        # rdflib rewrites "…Z" as "…+00:00"; the model wants UTC written with "Z" in every serialization.
        if isinstance(value, rdflib.Literal) and value.datatype == _XSD_DATETIME and isinstance(value.value, datetime):
            graph.remove((subject, predicate, value))
            lexical = xsd_datetime(value.value)
            graph.add((subject, predicate, rdflib.Literal(lexical, datatype=_XSD_DATETIME, normalize=False)))
    for prefix, namespace in (("oa", "http://www.w3.org/ns/oa#"), ("as", "http://www.w3.org/ns/activitystreams#")):
        graph.bind(prefix, namespace)
    graph.bind("schema", "http://schema.org/", replace=True)
    return graph.serialize(format="turtle", encoding="utf-8")


# --- Reading an annotation sent by a client ------------------------------------------------------

# Properties the server sets: ignored on POST (the server assigns them), unchanged on PUT.
SERVER_SET = ("created", "modified", "generated", "creator", "generator")
ANNOTATION_KEYS = frozenset(
    {"@context", "id", "type", "motivation", "body", "bodyValue", "target", "canonical", "via", *SERVER_SET}
)
NEW_TEXTUAL_BODY_KEYS = frozenset({"type", "purpose", "value", "format"})
NEW_SOURCE_BODY_KEYS = frozenset({"type", "purpose", "source", "description"})


@dataclass
class AnnotationChange:
    """What an annotation sent by a client asks of the claim."""

    selectors: dict[str, Any]
    restated: str = ""
    sources: list[dict[str, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _one_of(value: Any, name: str) -> Any:
    values = _listed(value)
    if len(values) != 1:
        raise InvalidInput(f"Give exactly one {name}.", field=name)
    return values[0]


def read_annotation(data: Any, *, target_source: str, current: Mapping[str, Any] | None = None) -> AnnotationChange:
    """An annotation sent with POST (no `current`) or PUT (`current`: the annotation as it is now).

    Raises InvalidInput for anything the workbench would have to drop: another context or
    motivation, a `canonical` or `via` it cannot keep, a moved target, a verdict body, a body
    that is gone (sources and comments are added, never removed) or of an unknown kind.
    """
    if not isinstance(data, dict):
        raise InvalidInput("Send one annotation as a JSON object.")
    unknown = sorted(set(data) - ANNOTATION_KEYS)
    if unknown:
        raise InvalidInput(f"The workbench cannot store “{unknown[0]}” on an annotation.", field=unknown[0])
    if "@context" in data and ANNO_CONTEXT not in _listed(data["@context"]):
        raise InvalidInput(f"Use the Web Annotation context, {ANNO_CONTEXT}.", field="@context")
    if "type" in data and "Annotation" not in _listed(data["type"]):
        raise InvalidInput("An annotation has the type Annotation.", field="type")
    if "motivation" in data and _listed(data["motivation"]) != ["assessing"]:
        raise InvalidInput("The workbench's annotations are claims, motivation “assessing”.", field="motivation")
    _check_identities(data, current)
    if "target" not in data:
        raise InvalidInput("An annotation needs a target.", field="target")
    if current is None:
        change = AnnotationChange(selectors=_selectors(data["target"], target_source=target_source))
    else:
        _check_same_target(data["target"], current["target"])
        change = AnnotationChange(selectors={})
    _read_bodies(data, change, current_bodies=list(current.get("body", [])) if current else [])
    return change


def _check_identities(data: Mapping[str, Any], current: Mapping[str, Any] | None) -> None:
    if "via" in data:
        raise InvalidInput("The workbench cannot keep “via” yet: send the annotation without it.", field="via")
    if current is None:
        if "id" in data:
            raise InvalidInput(
                "Leave out id: the container assigns it, and the workbench cannot keep a copied annotation's "
                "id as “via” yet.",
                field="id",
            )
        if "canonical" in data:
            raise InvalidInput(
                "The workbench cannot keep a canonical IRI of its own choosing yet: send the annotation without it.",
                field="canonical",
            )
        return
    for name in ("id", "canonical", *SERVER_SET):
        if name in data and data[name] != current.get(name):
            raise InvalidInput(f"“{name}” is set by the workbench and cannot be changed.", field=name)


def _selectors(target: Any, *, target_source: str) -> dict[str, Any]:
    """The claim_create arguments from a target's TextQuoteSelector and TextPositionSelector."""
    target = _one_of(target, "target")
    if not isinstance(target, dict) or "selector" not in target:
        raise InvalidInput("The target must be an object with a selector.", field="target")
    extra = sorted(set(target) - {"type", "source", "selector"})
    if extra:
        raise InvalidInput(f"The workbench cannot store “{extra[0]}” on a target.", field="target")
    if "type" in target and _listed(target["type"]) != ["SpecificResource"]:
        raise InvalidInput("The target is a SpecificResource.", field="target")
    if "source" in target and _source_id(target["source"]) != target_source:
        raise InvalidInput(f"This container's annotations target {target_source}.", field="target")
    found: dict[str, Any] = {}
    for item in _listed(target["selector"]):
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "TextPositionSelector" and set(item) <= {"type", "start", "end"}:
            start, end = item.get("start"), item.get("end")
            if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (start, end)):
                raise InvalidInput("TextPositionSelector needs non-negative integer start and end.", field="target")
            found.update(start=start, end=end)
        elif kind == "TextQuoteSelector" and set(item) <= {"type", "exact", "prefix", "suffix"}:
            exact = item.get("exact")
            if not isinstance(exact, str) or not exact:
                raise InvalidInput("TextQuoteSelector needs a non-empty exact.", field="target")
            found["exact"] = exact
            for side in ("prefix", "suffix"):
                if side in item:
                    if not isinstance(item[side], str):
                        raise InvalidInput(f"TextQuoteSelector's {side} is text.", field="target")
                    found[side] = item[side]
        else:
            raise InvalidInput(
                "The workbench reads a TextQuoteSelector (type, exact, prefix, suffix) and a "
                "TextPositionSelector (type, start, end), nothing else.",
                field="target",
            )
    if "start" not in found and "exact" not in found:
        raise InvalidInput("Give a TextQuoteSelector or a TextPositionSelector.", field="target")
    if "start" in found and "exact" in found:
        # Positions win; the quote is checked against them by claim_create.
        found.pop("prefix", None)
        found.pop("suffix", None)
    return found


def _source_id(source: Any) -> Any:
    return source.get("id") if isinstance(source, dict) else source


def _check_same_target(target: Any, current: Mapping[str, Any]) -> None:
    """PUT keeps the claim where it is: the same source, the same selectors (in any order)."""

    def selectors(value: Any) -> list[str]:
        return sorted(json.dumps(item, sort_keys=True) for item in _listed(value))

    sent = _one_of(target, "target")
    same = (
        isinstance(sent, dict)
        and set(sent) <= {"type", "source", "selector"}
        and _listed(sent.get("type", "SpecificResource")) == ["SpecificResource"]
        and _source_id(sent.get("source", current["source"])) == current["source"]["id"]
        and selectors(sent.get("selector")) == selectors(current["selector"])
    )
    if not same:
        raise InvalidInput(
            "An annotation's target cannot be changed: create a new annotation for another passage.", field="target"
        )


def _read_bodies(data: Mapping[str, Any], change: AnnotationChange, *, current_bodies: list[dict[str, Any]]) -> None:
    if "body" in data and "bodyValue" in data:
        raise InvalidInput("Send body or bodyValue, not both.", field="bodyValue")
    if "bodyValue" in data:
        value = _one_of(data["bodyValue"], "bodyValue")
        sent: list[Any] = [{"type": "TextualBody", "value": value}]
    else:
        sent = _listed(data["body"]) if "body" in data else []
    remaining = list(current_bodies)
    restated: list[str] = []
    for body in sent:
        if body in remaining:  # unchanged: as the workbench wrote it
            remaining.remove(body)
            if body.get("type") == "TextualBody" and body.get("purpose") == "describing":
                restated.append(body["value"])
            continue
        kind, purpose = _kind_and_purpose(body)
        if kind == "TextualBody":
            _read_new_textual_body(body, purpose, change, restated)
        else:
            _read_new_source_body(body, purpose, change)
    if len(restated) > 1:
        raise InvalidInput("Give at most one describing TextualBody: the restated claim.", field="body")
    change.restated = restated[0] if restated else ""
    for body in remaining:
        if body.get("purpose") == "describing" and body.get("type") == "TextualBody":
            continue  # the restated claim: replaced or cleared above
        what = {"assessing": "the verdict", "commenting": "a comment"}.get(body.get("purpose", ""), "a source")
        raise InvalidInput(
            f"The body for {what} is missing or changed: the verdict changes through claims/{{id}}/verdicts/, "
            "and sources and comments are added, never changed or removed.",
            field="body",
        )


def _kind_and_purpose(body: Any) -> tuple[str, str | None]:
    if not isinstance(body, dict):
        raise InvalidInput("Each body is an object: a TextualBody or a SpecificResource.", field="body")
    kind = body.get("type", "TextualBody" if "value" in body else "SpecificResource" if "source" in body else None)
    kinds = _listed(kind)
    if kinds not in (["TextualBody"], ["SpecificResource"]):
        raise InvalidInput("The workbench stores TextualBody and SpecificResource bodies only.", field="body")
    purposes = _listed(body.get("purpose")) if "purpose" in body else [None]
    if len(purposes) != 1 or not (purposes[0] is None or isinstance(purposes[0], str)):
        raise InvalidInput("Give each body at most one purpose.", field="body")
    return kinds[0], purposes[0]


def _read_new_textual_body(
    body: dict[str, Any], purpose: str | None, change: AnnotationChange, restated: list[str]
) -> None:
    extra = sorted(set(body) - NEW_TEXTUAL_BODY_KEYS)
    if extra:
        raise InvalidInput(f"The workbench cannot store “{extra[0]}” on a TextualBody.", field="body")
    value = body.get("value")
    if not isinstance(value, str):
        raise InvalidInput("A TextualBody needs a text value.", field="body")
    if body.get("format", "text/plain") != "text/plain":
        raise InvalidInput("The workbench stores plain text: format text/plain.", field="body")
    if purpose in (None, "describing"):
        restated.append(value)
    elif purpose == "commenting":
        change.comments.append(value)
    elif purpose == "assessing":
        raise InvalidInput("A verdict is recorded through claims/{id}/verdicts/, not as a body.", field="body")
    else:
        raise InvalidInput(
            f"The workbench cannot store a TextualBody with purpose “{purpose}”: use describing or commenting.",
            field="body",
        )


def _read_new_source_body(body: dict[str, Any], purpose: str | None, change: AnnotationChange) -> None:
    extra = sorted(set(body) - NEW_SOURCE_BODY_KEYS)
    if extra:
        raise InvalidInput(f"The workbench cannot store “{extra[0]}” on a source.", field="body")
    if purpose not in PURPOSE_STANCE:
        raise InvalidInput(
            "A source's purpose is linking (supports), questioning (refutes) or describing (context).", field="body"
        )
    url, note = body.get("source"), body.get("description", "")
    if not isinstance(url, str) or not isinstance(note, str):
        raise InvalidInput("A source body needs the source's IRI and, optionally, a text description.", field="body")
    change.sources.append({"url": url, "stance": PURPOSE_STANCE[purpose], "note": note})


# --- Shapes for the OpenAPI schema ---------------------------------------------------------------


class _JSONLD(serializers.Serializer):
    """A JSON-LD object: its context is "@context", which is not a Python name."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if "context" in fields:
            fields["@context"] = fields.pop("context")
        return fields


class TextQuoteSelectorIn(serializers.Serializer):
    type = serializers.ChoiceField(["TextQuoteSelector"])
    exact = serializers.CharField()
    prefix = serializers.CharField(required=False, allow_blank=True)
    suffix = serializers.CharField(required=False, allow_blank=True)


class TextPositionSelectorIn(serializers.Serializer):
    """A span in code points of the article's text."""

    type = serializers.ChoiceField(["TextPositionSelector"])
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)


class TargetIn(serializers.Serializer):
    type = serializers.ChoiceField(["SpecificResource"], required=False)
    source = serializers.URLField(  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
        required=False, help_text="The article's canonical URL (or its API URL); on PUT, unchanged."
    )
    selector = PolymorphicProxySerializer(
        component_name="SelectorIn",
        serializers={"TextQuoteSelector": TextQuoteSelectorIn, "TextPositionSelector": TextPositionSelectorIn},
        resource_type_field_name="type",
        many=True,
    )


class BodyIn(serializers.Serializer):
    """A TextualBody (value; purpose describing: the restated claim, commenting: a new comment) or a
    SpecificResource (source; purpose linking, questioning or describing: a new source, with a description)."""

    type = serializers.ChoiceField(["TextualBody", "SpecificResource"])
    purpose = serializers.ChoiceField(["describing", "commenting", "linking", "questioning"], required=False)
    value = serializers.CharField(required=False, allow_blank=True)
    format = serializers.ChoiceField(["text/plain"], required=False)
    source = serializers.URLField(required=False)  # type: ignore[assignment]  # as above
    description = serializers.CharField(required=False, allow_blank=True)


class AnnotationIn(serializers.Serializer):
    """A Web Annotation to create a claim (see the README: what the workbench stores)."""

    type = serializers.ChoiceField(["Annotation"], required=False)
    motivation = serializers.ChoiceField(["assessing"], required=False)
    target = TargetIn()
    body = BodyIn(
        many=True,
        required=False,
        help_text="Instead of body, a plain string `bodyValue` is taken as the restated claim (not both).",
    )


class AnnotationReplaceIn(AnnotationIn):
    """The annotation as GET showed it, its bodies changed: id, canonical, created, modified, creator,
    generator and the target stay as they are; the bodies already there (the verdict, sources and
    comments) are sent back unchanged, and new ones are shaped as on POST."""

    # Plain strings here: the same enums in two components would collide in the schema's names.
    type = serializers.CharField(required=False, help_text="Annotation")  # type: ignore[assignment]  # see above
    motivation = serializers.CharField(required=False, help_text="assessing")  # type: ignore[assignment]  # see above
    id = serializers.URLField(required=False)
    canonical = serializers.URLField(required=False)
    created = serializers.DateTimeField(required=False)
    modified = serializers.DateTimeField(required=False)
    creator = serializers.JSONField(required=False)
    generator = serializers.JSONField(required=False)
    body = serializers.ListField(  # type: ignore[assignment]  # every body, old and new
        child=serializers.DictField(), required=False, help_text="The bodies as GET showed them, plus new ones."
    )


class AgentOut(serializers.Serializer):
    id = serializers.URLField()
    type = serializers.CharField()
    name = serializers.CharField()
    nickname = serializers.CharField()


class TargetSourceOut(serializers.Serializer):
    id = serializers.URLField()
    type = serializers.CharField()
    language = serializers.CharField(required=False)


class TargetOut(serializers.Serializer):
    type = serializers.CharField()
    source = TargetSourceOut()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    selector = serializers.ListField(child=serializers.DictField(), min_length=1)


class AnnotationOut(_JSONLD):
    context = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]  # renamed "@context"
    id = serializers.URLField()
    type = serializers.CharField()
    motivation = serializers.CharField()
    canonical = serializers.URLField()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()
    creator = AgentOut(required=False)
    generator = AgentOut()
    body = serializers.ListField(child=serializers.DictField(), min_length=1, required=False)
    target = TargetOut()


class PartOfOut(serializers.Serializer):
    id = serializers.URLField()
    total = serializers.IntegerField(min_value=0)
    modified = serializers.DateTimeField(required=False)


class AnnotationPageOut(_JSONLD):
    context = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]  # renamed "@context"
    id = serializers.URLField()
    type = serializers.CharField()
    partOf = PartOfOut()
    startIndex = serializers.IntegerField(min_value=0)
    items = serializers.ListField(
        child=serializers.JSONField(), min_length=1, help_text="Annotations, or their IRIs (?iris=1)."
    )
    next = serializers.URLField(required=False)
    prev = serializers.URLField(required=False)


class AnnotationCollectionOut(_JSONLD):
    context = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]  # renamed "@context"
    id = serializers.URLField()
    type = serializers.ListField(child=serializers.CharField())
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    total = serializers.IntegerField(min_value=0)
    modified = serializers.DateTimeField(required=False)
    first = serializers.JSONField(required=False, help_text="The first AnnotationPage, or its IRI (minimal).")
    last = serializers.URLField(required=False)
