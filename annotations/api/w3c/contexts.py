"""The JSON-LD contexts the annotations name, read from the copies shipped with the app, and Turtle.

The W3C contexts (anno.jsonld, ldp.jsonld) are never fetched; the workbench's own context,
`/ns/workbench.jsonld`, defines the properties that are not W3C terms (`rating`, a source's
`description`) so that JSON-LD processing keeps every property."""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import rdflib
from django.urls import reverse
from rest_framework.request import Request

from annotations.api.w3c.values import AnyRequest, xsd_datetime

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
ANNO_PROFILE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
CONTEXTS_DIR = Path(__file__).resolve().parent.parent / "contexts"
# The W3C contexts by their IRIs, read from the copies shipped in CONTEXTS_DIR: never fetched.
SHIPPED_CONTEXTS = {ANNO_CONTEXT: "anno.jsonld", LDP_CONTEXT: "ldp.jsonld"}
WORKBENCH_CONTEXT_FILE = "workbench.jsonld"


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


_XSD_DATETIME = rdflib.XSD.dateTime


def _writable(term: Any) -> Any:
    """A term as Turtle writes it: rdflib rewrites "…Z" as "…+00:00", and the model wants UTC written
    with "Z" in every serialization."""
    if isinstance(term, rdflib.Literal) and term.datatype == _XSD_DATETIME and isinstance(term.value, datetime):
        return rdflib.Literal(xsd_datetime(term.value), datatype=_XSD_DATETIME, normalize=False)
    return term


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
    for triple in list(graph):
        written = tuple(_writable(term) for term in triple)
        if written != triple:
            graph.remove(triple)
            graph.add(written)
    for prefix, namespace in (("oa", "http://www.w3.org/ns/oa#"), ("as", "http://www.w3.org/ns/activitystreams#")):
        graph.bind(prefix, namespace)
    graph.bind("schema", "http://schema.org/", replace=True)
    return graph.serialize(format="turtle", encoding="utf-8")
