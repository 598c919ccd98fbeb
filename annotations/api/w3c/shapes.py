"""The OpenAPI shapes of what the W3C operations take and answer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from annotations.api.w3c.contexts import ANNO_CONTEXT


class _JSONLD(serializers.Serializer):
    """A JSON-LD object: its context is "@context", which is not a Python name."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if "context" in fields:
            fields["@context"] = fields.pop("context")
        return fields


# --- What POST and PUT take: JSON Schema, the one definition the schema documents and the views enforce.


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _one_or_more(item: dict[str, Any], *, least: int = 1) -> dict[str, Any]:
    """A value or an array of values: JSON-LD lets every property have one value or several."""
    return {"oneOf": [item, {"type": "array", "items": item, "minItems": least}]}


def _just(*values: str) -> dict[str, Any]:
    """One of `values`, alone or as the single item of an array."""
    item = {"enum": list(values)}
    return {"oneOf": [item, {"type": "array", "items": item, "minItems": 1, "maxItems": 1}]}


IRI = {"type": "string", "pattern": r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20\x7f<>"{}|\\^`]+$', "maxLength": 2000}
"""An absolute IRI (RFC 3987): a scheme, a colon, and none of white space, control characters or
`<>"{}|\\^``, which no IRI holds (and Turtle could not write)."""
TEXT = {"type": "string", "not": {"pattern": "\u0000"}}
"""Text: PostgreSQL stores no NUL character (the JSON parser refuses one anywhere)."""
LINK = {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\x00-\x20\x7f-\x9f]+$", "maxLength": 2000}
"""A cited report's link: http or https, as the fetcher takes it."""
DATE_TIME = {
    "type": "string",
    "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
}
AGENT = {
    "oneOf": [
        IRI,
        {
            "type": "object",
            "description": "A W3C Agent.",
            "properties": {
                "id": IRI,
                "type": _one_or_more({"enum": ["Person", "Organization", "Software"]}),
                **{name: TEXT for name in ("name", "nickname", "email_sha1")},
                "email": IRI,
                "homepage": IRI,
            },
            "additionalProperties": False,
        },
    ]
}
POSITION_MAX = 2**31 - 1
SERVER_SET = ("created", "modified", "generated", "creator", "generator")
"""Properties the server sets: ignored on POST, unchanged on PUT."""

INPUT_SCHEMAS: dict[str, dict[str, Any]] = {
    "TextQuoteSelectorIn": {
        "type": "object",
        "description": "The quote as it occurs in the article's text, with the text just before and after it.",
        "properties": {
            "type": {"const": "TextQuoteSelector"},
            "exact": TEXT | {"minLength": 1},
            "prefix": TEXT,
            "suffix": TEXT,
        },
        "required": ["type", "exact"],
        "additionalProperties": False,
    },
    "TextPositionSelectorIn": {
        "type": "object",
        "description": "A span in Unicode code points of the article's text.",
        "properties": {
            "type": {"const": "TextPositionSelector"},
            "start": {"type": "integer", "minimum": 0, "maximum": POSITION_MAX},
            "end": {"type": "integer", "minimum": 0, "maximum": POSITION_MAX},
        },
        "required": ["type", "start", "end"],
        "additionalProperties": False,
    },
    "TargetIn": {
        "type": "object",
        "description": "The passage: the article (its canonical URL, else its API URL; on PUT, unchanged) "
        "and a TextQuoteSelector, a TextPositionSelector or both.",
        "properties": {
            "type": _just("SpecificResource"),
            "source": {
                "oneOf": [
                    IRI,
                    {
                        "type": "object",
                        "properties": {"id": IRI, "type": TEXT, "language": TEXT},
                        "required": ["id"],
                        "additionalProperties": False,
                    },
                ]
            },
            "selector": _one_or_more({"oneOf": [_ref("TextQuoteSelectorIn"), _ref("TextPositionSelectorIn")]}),
        },
        "required": ["selector"],
        "additionalProperties": False,
    },
    "RestatedBodyIn": {
        "type": "object",
        "description": "The claim as the reviewer restates it (purpose describing, or none); empty clears it.",
        "properties": {
            "type": _just("TextualBody"),
            "purpose": _just("describing"),
            "value": TEXT,
            "format": {"const": "text/plain"},
        },
        "required": ["value"],
        "additionalProperties": False,
    },
    "CommentBodyIn": {
        "type": "object",
        "description": "A new comment.",
        "properties": {
            "type": _just("TextualBody"),
            "purpose": _just("commenting"),
            "value": TEXT | {"pattern": r"\S"},
            "format": {"const": "text/plain"},
        },
        "required": ["purpose", "value"],
        "additionalProperties": False,
    },
    "SourceBodyIn": {
        "type": "object",
        "description": "A new cited source: linking (supports), questioning (refutes) or describing (context).",
        "properties": {
            "type": _just("SpecificResource"),
            "purpose": _just("linking", "questioning", "describing"),
            "source": LINK,
            "description": TEXT,
        },
        "required": ["purpose", "source"],
        "additionalProperties": False,
    },
    "WrittenBodyIn": {
        "type": "object",
        "description": "A body as GET showed it (it has `created`), sent back unchanged.",
        "properties": {
            "type": {"enum": ["TextualBody", "SpecificResource"]},
            "purpose": {"enum": ["assessing", "describing", "commenting", "linking", "questioning"]},
            **{name: TEXT for name in ("value", "format", "description")},
            "source": IRI,
            "rating": {
                "type": "object",
                "properties": {"label": TEXT, "value": {"type": "number"}},
                "additionalProperties": False,
            },
            "state": {
                "type": "object",
                "properties": {"type": {"const": "TimeState"}, "sourceDate": DATE_TIME, "cached": IRI},
                "additionalProperties": False,
            },
            "creator": AGENT,
            "created": DATE_TIME,
        },
        "required": ["created"],
        "additionalProperties": False,
    },
}


def _annotation_in(*, replacing: bool) -> dict[str, Any]:
    bodies = [_ref("RestatedBodyIn"), _ref("CommentBodyIn"), _ref("SourceBodyIn")]
    if replacing:
        bodies.append(_ref("WrittenBodyIn"))
    return {
        "type": "object",
        "properties": {
            "@context": {
                "oneOf": [
                    {"const": ANNO_CONTEXT},
                    {"type": "array", "items": IRI, "contains": {"const": ANNO_CONTEXT}, "uniqueItems": True},
                ]
            },
            "id": IRI,
            "type": _just("Annotation"),
            "motivation": _just("assessing"),
            "canonical": IRI,
            "via": _one_or_more(IRI),
            **{name: DATE_TIME for name in ("created", "modified", "generated")},
            "creator": AGENT,
            "generator": AGENT,
            "body": _one_or_more({"oneOf": bodies}, least=0),
            "bodyValue": TEXT,
            "target": {
                "oneOf": [_ref("TargetIn"), {"type": "array", "items": _ref("TargetIn"), "minItems": 1, "maxItems": 1}]
            },
        },
        "required": ["target"],
        "not": {"required": ["body", "bodyValue"]},
        "additionalProperties": False,
    }


INPUT_SCHEMAS["AnnotationIn"] = _annotation_in(replacing=False) | {
    "description": "A Web Annotation to create a claim. Its id is kept as `via` and its canonical IRI as "
    "`canonical`; created, modified, generated, creator and generator are the server's. A plain "
    "`bodyValue` is the restated claim (not with `body`)."
}
INPUT_SCHEMAS["AnnotationReplaceIn"] = _annotation_in(replacing=True) | {
    "description": "The annotation as GET showed it, its bodies changed: id, canonical, via, the server's "
    "properties and the target stay as they are; the bodies already there (the verdict, sources and "
    "comments) are sent back unchanged, and new ones are shaped as on POST."
}


def document_inputs(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: the components the W3C request bodies refer to."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(INPUT_SCHEMAS)
    return result


def input_schema(name: str) -> dict[str, str]:
    """A reference to one of INPUT_SCHEMAS, as a request body's schema (the schema hook adds them)."""
    return _ref(name)


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
    canonical = serializers.CharField(help_text="The annotation's canonical IRI.")
    via = serializers.JSONField(
        required=False, help_text="The IRI, or IRIs, the annotation had before it was copied here."
    )
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
