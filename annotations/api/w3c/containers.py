"""The container as an AnnotationCollection, paged with AnnotationPages (Web Annotation Model 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rest_framework.request import Request

from annotations.api.w3c.contexts import annotation_context, container_context
from annotations.api.w3c.values import xsd_datetime


def description_iri(container: str, *, iris: bool) -> str:
    """The IRI of the container's description with contained IRIs (?iris=1) or descriptions (?iris=0)."""
    return f"{container}?iris={int(iris)}"


def page_iri(container: str, number: int, *, iris: bool) -> str:
    """A page's IRI (`<container>pages/<number>`, annotations/api/urls.py), with the kind of its items."""
    return f"{container}pages/{number}?iris={int(iris)}"


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
