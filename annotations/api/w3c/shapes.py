"""The OpenAPI shapes of what the W3C operations take and answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers


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
