"""A claim as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/), motivation "assessing".

The target is the article (its canonical URL, or its API URL when it has none) with a
TextQuoteSelector and a TextPositionSelector in code points; the bodies are the current verdict
(purpose "assessing", with its rating), the restated claim ("describing") and the cited sources
(SpecificResource; "linking" for support, "questioning" for refutation, "describing" for context).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from annotations.models import Article, Stance

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
ANNO_PROFILE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
STANCE_PURPOSE = {Stance.SUPPORTS: "linking", Stance.REFUTES: "questioning", Stance.CONTEXT: "describing"}


def annotation_id(request: Request, article_id: int, claim_id: int) -> str:
    return request.build_absolute_uri(reverse("api-article-annotation", args=[article_id, claim_id]))


def article_target_source(request: Request, article: Article) -> str:
    return article.canonical_url or request.build_absolute_uri(reverse("api-article", args=[article.pk]))


def annotation_json(
    claim: dict[str, Any], *, request: Request, article: Article, with_context: bool = True
) -> dict[str, Any]:
    """The claim JSON (from `claim_json`) as a Web Annotation on `article`."""
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": claim["exact"], "prefix": claim["prefix"], "suffix": claim["suffix"]}
    ]
    if claim["start"] is not None and claim["end"] is not None:
        selectors.append({"type": "TextPositionSelector", "start": claim["start"], "end": claim["end"]})
    bodies: list[dict[str, Any]] = []
    verdict = claim["current_verdict"]
    if verdict is not None:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": verdict["summary"],
                "format": "text/plain",
                "rating": {"label": verdict["rating"]["label"], "value": verdict["rating"]["value"]},
                "created": verdict["created_at"].isoformat(),
            }
        )
    if claim["restated"]:
        bodies.append(
            {"type": "TextualBody", "purpose": "describing", "value": claim["restated"], "format": "text/plain"}
        )
    for source in claim["sources"]:
        body: dict[str, Any] = {
            "type": "SpecificResource",
            "purpose": STANCE_PURPOSE.get(Stance(source["stance"]), "linking"),
            "source": source["url"],
        }
        if source["note"]:
            body["description"] = source["note"]
        bodies.append(body)
    annotation: dict[str, Any] = {
        "id": annotation_id(request, claim["article"], claim["id"]),
        "type": "Annotation",
        "motivation": "assessing",
        "created": claim["created_at"].isoformat(),
        "modified": claim["updated_at"].isoformat(),
        "target": {"source": article_target_source(request, article), "selector": selectors},
        "body": bodies,
    }
    if claim["created_by"] is not None:
        annotation["creator"] = {"type": "Person", "nickname": claim["created_by"]["username"]}
    if with_context:
        return {"@context": ANNO_CONTEXT, **annotation}
    return annotation


class AnnotationIn(serializers.Serializer):
    """A Web Annotation to create or replace a claim: the target's selectors and a "describing" body."""

    type = serializers.CharField(required=False)
    motivation = serializers.CharField(required=False)
    target = serializers.JSONField()
    body = serializers.JSONField(required=False)


class AnnotationOut(serializers.Serializer):
    context = serializers.CharField()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    id = serializers.URLField()
    type = serializers.CharField()
    motivation = serializers.CharField()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()
    target = serializers.DictField()
    body = serializers.ListField(child=serializers.DictField())

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["@context"] = fields.pop("context")
        return fields


class AnnotationCollectionOut(serializers.Serializer):
    id = serializers.URLField()
    type = serializers.ListField(child=serializers.CharField())
    total = serializers.IntegerField()
    first = serializers.JSONField()
    last = serializers.URLField()


class AnnotationPageOut(serializers.Serializer):
    id = serializers.URLField()
    type = serializers.CharField()
    partOf = serializers.JSONField()
    startIndex = serializers.IntegerField()
    items = serializers.ListField(child=serializers.JSONField())
