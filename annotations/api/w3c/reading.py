"""An annotation sent by a client, read into what the workbench stores (Web Annotation Protocol 5.1, 5.2).

`read_annotation` turns an annotation sent with POST or PUT into the claim's selectors, its
restated wording, new sources and new comments, or an InvalidInput naming what the workbench
cannot store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from annotations.api.w3c.contexts import ANNO_CONTEXT
from annotations.api.w3c.model import PURPOSE_STANCE
from annotations.api.w3c.shapes import INPUT_SCHEMAS, SERVER_SET
from annotations.errors import InvalidInput

ANNOTATION_KEYS = frozenset(
    {"@context", "id", "type", "motivation", "body", "bodyValue", "target", "canonical", "via", *SERVER_SET}
)
NEW_TEXTUAL_BODY_KEYS = frozenset({"type", "purpose", "value", "format"})
NEW_SOURCE_BODY_KEYS = frozenset({"type", "purpose", "source", "description"})


@dataclass
class AnnotationChange:
    """What an annotation sent by a client asks of the claim."""

    selectors: dict[str, Any]
    canonical: str = ""
    via: list[str] = field(default_factory=list)
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
    motivation, a changed id, canonical or via, a moved target, a verdict body, a body that is gone
    (sources and comments are added, never removed) or of an unknown kind. What these checks let
    through is then held to the JSON Schema the OpenAPI document publishes (shapes.INPUT_SCHEMAS),
    so that the schema and the answers never disagree.
    """
    if not isinstance(data, dict):
        raise InvalidInput("Send one annotation as a JSON object.")
    unknown = sorted(set(data) - ANNOTATION_KEYS)
    if unknown:
        raise InvalidInput(f"The workbench cannot store “{unknown[0]}” on an annotation.", field=unknown[0])
    if "@context" in data and ANNO_CONTEXT not in _listed(data["@context"]):
        raise InvalidInput(f"Use the Web Annotation context, {ANNO_CONTEXT}.", field="@context")
    if "type" in data and _listed(data["type"]) != ["Annotation"]:
        raise InvalidInput("An annotation has the type Annotation.", field="type")
    if "motivation" in data and _listed(data["motivation"]) != ["assessing"]:
        raise InvalidInput("The workbench's annotations are claims, motivation “assessing”.", field="motivation")
    if "target" not in data:
        raise InvalidInput("An annotation needs a target.", field="target")
    if current is None:
        change = AnnotationChange(selectors=_selectors(data["target"], target_source=target_source))
        _read_identities(data, change)
    else:
        _check_identities(data, current)
        _check_same_target(data["target"], current["target"])
        change = AnnotationChange(selectors={})
    _read_bodies(data, change, current_bodies=list(current.get("body", [])) if current else [])
    _conform(data, "AnnotationIn" if current is None else "AnnotationReplaceIn")
    return change


def _conform(data: Mapping[str, Any], name: str) -> None:
    """The annotation against its published JSON Schema: the first error, where it is."""
    error = best_match(_validator(name).iter_errors(data))
    if error is None:
        return
    where = "/".join(str(part) for part in error.absolute_path)
    field_name = str(error.absolute_path[0]) if error.absolute_path else None
    raise InvalidInput(f"{where or 'The annotation'}: {error.message}", field=field_name)


@cache
def _validator(name: str) -> Draft202012Validator:
    document = {"$ref": f"#/components/schemas/{name}", "components": {"schemas": INPUT_SCHEMAS}}
    return Draft202012Validator(document)


def _iris(value: Any) -> list[str]:
    return [item for item in _listed(value) if isinstance(item, str)]


def _read_identities(data: Mapping[str, Any], change: AnnotationChange) -> None:
    """A new annotation keeps its canonical IRI, and its id (an IRI it had elsewhere) joins `via`."""
    if "canonical" in data and isinstance(data["canonical"], str):
        change.canonical = data["canonical"]
    change.via = _iris(data.get("via", []))
    if isinstance(data.get("id"), str) and data["id"] not in change.via:
        change.via.append(data["id"])


def _check_identities(data: Mapping[str, Any], current: Mapping[str, Any]) -> None:
    """PUT keeps what identifies the annotation and what the server sets."""
    for name in ("id", "canonical", *SERVER_SET):
        if name in data and data[name] != current.get(name):
            raise InvalidInput(f"“{name}” is set by the workbench and cannot be changed.", field=name)
    if "via" in data and _iris(data["via"]) != _iris(current.get("via", [])):
        raise InvalidInput("“via” is kept as the annotation was created and cannot be changed.", field="via")


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
            start, end = (_whole(item.get(side)) for side in ("start", "end"))
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


def _whole(number: Any) -> Any:
    """A JSON number that is whole (3 or 3.0, as JSON Schema counts integers) as an int."""
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


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
