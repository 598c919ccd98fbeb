"""A claim as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/), motivation "assessing".

The target is a SpecificResource: the article (its canonical URL, or its API URL when it has
none) with a TextQuoteSelector and, unless the claim is an orphan, a TextPositionSelector in code
points. The bodies are the current verdict (purpose "assessing", with its rating), the restated
claim ("describing"), the cited sources (SpecificResource; "linking" for support, "questioning"
for refutation, "describing" for context) and the comments ("commenting"). An annotation with
none of these has no `body` at all: the model has no empty arrays. Every body the desk wrote
names its creator and when (the restated claim: whoever last wrote it); a source whose report
the workbench preserved has a TimeState: when it was fetched and the stored copy (`cached`).

Times are xsd:dateTime in UTC written with "Z". The creator is the claim's creator and the
generator the workbench itself, each an Agent whose IRI the app serves (`/ns/agents/<key>`,
annotations.views.ns). Properties that are not W3C terms (`rating`, a source's `description`)
are defined in the workbench's own context, `/ns/workbench.jsonld`, listed in `@context` after
the W3C one, so that JSON-LD processing keeps every property.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from rest_framework.request import Request

from annotations.api.w3c.agents import person_json, software_json
from annotations.api.w3c.contexts import annotation_context
from annotations.api.w3c.values import annotation_id, article_target_source, canonical_id, iri, xsd_datetime
from annotations.models import Article, Comment, SnapshotStatus, Stance

STANCE_PURPOSE = {Stance.SUPPORTS: "linking", Stance.REFUTES: "questioning", Stance.CONTEXT: "describing"}
PURPOSE_STANCE = {purpose: stance.value for stance, purpose in STANCE_PURPOSE.items()}


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
            _with(
                {"type": "TextualBody", "purpose": "describing", "value": claim["restated"], "format": "text/plain"},
                creator=_creator(request, claim["restated_by"]),
                created=xsd_datetime(claim["restated_at"]) if claim["restated_at"] else None,
            )
        )
    for source in claim["sources"]:
        bodies.append(
            _with(
                {
                    "type": "SpecificResource",
                    "purpose": STANCE_PURPOSE.get(Stance(source["stance"]), "linking"),
                    "source": iri(source["url"]),
                },
                description=source["note"],
                state=_preserved(request, source["snapshot"]),
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


def _preserved(request: Request, snapshot: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The copy the workbench keeps of a cited report, as a TimeState (model 4.3.1): when it was fetched
    and where the stored copy is."""
    if snapshot is None or snapshot["status"] != SnapshotStatus.FETCHED or snapshot["fetched_at"] is None:
        return None
    state = {"type": "TimeState", "sourceDate": xsd_datetime(snapshot["fetched_at"])}
    if snapshot["stored_copy_url"]:
        state["cached"] = request.build_absolute_uri(snapshot["stored_copy_url"])
    return state


def _copy_time(source: Mapping[str, Any]) -> bool:
    return source["snapshot"] is not None and source["snapshot"]["fetched_at"] is not None


def annotation_modified(claim: Mapping[str, Any], comments: Sequence[Mapping[str, Any]]) -> datetime:
    """When the annotation last changed: the claim itself, or a body added to it since."""
    times = [claim["updated_at"], *(source["created_at"] for source in claim["sources"])]
    times += [source["snapshot"]["fetched_at"] for source in claim["sources"] if _copy_time(source)]
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
    canonical: str = "",
    via: Sequence[str] = (),
) -> dict[str, Any]:
    """The claim JSON (from `claims_json`) and its comments (from `comment_rows`) as a Web Annotation.

    `canonical` and `via` are what a client sent when it created the annotation (Protocol 5.1): its
    canonical IRI (else the workbench mints the claim's own) and the IRIs it had before.
    """
    annotation: dict[str, Any] = {"@context": annotation_context(request)} if with_context else {}
    annotation.update(
        _with(
            {
                "id": annotation_id(request, claim["article"], claim["id"]),
                "type": "Annotation",
                "motivation": "assessing",
                "canonical": canonical or canonical_id(request, claim["id"]),
                "created": xsd_datetime(claim["created_at"]),
                "modified": xsd_datetime(annotation_modified(claim, comments)),
            },
            via=via[0] if len(via) == 1 else list(via),
            creator=_creator(request, claim["created_by"]),
            generator=software_json(request),
            body=_bodies(request, claim, comments),
        )
    )
    annotation["target"] = target_json(request, claim, article)
    return annotation
