"""The Web Annotation Protocol's mechanics: representations, ETags, preferences, headers and OpenAPI answers."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from annotations.api.errors import PreconditionFailed, PreconditionRequired
from annotations.api.parsers import JSONParser
from annotations.api.renderers import FastJSONRenderer
from annotations.api.serializers.common import MAX_ID, ErrorOut
from annotations.api.w3c.contexts import ANNO_PROFILE, turtle
from annotations.models import Claim

CONSTRAINED_BY = "http://www.w3.org/TR/annotation-protocol/"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
CONTAINER_LINK = (
    '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
    f'<{CONSTRAINED_BY}>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
)
ANNOTATION_LINK = '<http://www.w3.org/ns/ldp#Resource>; rel="type", <http://www.w3.org/ns/oa#Annotation>; rel="type"'
ACCEPT_POST = f"{ANNO_PROFILE}, application/json"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Accept-Post, Allow, Content-Location, ETag, Link, Location, Vary",
}
CORS_PREFLIGHT = {
    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type, If-Match, If-None-Match, Prefer",
    "Access-Control-Max-Age": "600",
}


# --- Representations -----------------------------------------------------------------------------


class JSONLDRenderer(FastJSONRenderer):
    """JSON-LD with the Web Annotation profile: the protocol's required representation (and the default)."""

    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = ANNO_PROFILE
        return super().render(data, accepted_media_type, renderer_context)


class TurtleRenderer(BaseRenderer):
    """The same graph as Turtle (the protocol's SHOULD), converted by rdflib with the shipped contexts."""

    media_type = "text/turtle"
    format = "ttl"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        return turtle(data, request=(renderer_context or {})["request"])


class JSONLDParser(JSONParser):
    media_type = "application/ld+json"


# ETag variants: one per representation of the same state, so that a cache never mixes them up.
ETAG_SUFFIX = {JSONLDRenderer.format: "", "json": "-json", TurtleRenderer.format: "-ttl"}


def digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]


def etag_of(request: Request, data: Any) -> str:
    renderer = getattr(request, "accepted_renderer", None)
    return f'"{digest(data)}{ETAG_SUFFIX.get(getattr(renderer, "format", ""), "")}"'


def _tags(header: str) -> list[str]:
    return [value.strip() for value in header.split(",") if value.strip()]


def require_match(request: Request, data: Any, claim: Claim) -> None:
    """If-Match, compared strongly: the ETag of any representation of the current state, or the claim's
    version ("3"), as every other claim write takes it (README: versions on every write)."""
    header = request.headers.get("If-Match", "")
    if not header:
        raise PreconditionRequired()
    current = {f'"{digest(data)}{suffix}"' for suffix in ETAG_SUFFIX.values()} | {f'"{claim.version}"'}
    tags = _tags(header)
    if "*" not in tags and not current & set(tags):
        raise PreconditionFailed()


def prefer_includes(header: str) -> set[str]:
    """The IRIs in a Prefer header's `include` parameters (RFC 7240; LDP 7.2)."""
    found: set[str] = set()
    for preference in header.split(","):
        for parameter in preference.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "include":
                found.update(value.strip().strip('"').split())
    return found


class W3CView(APIView):
    renderer_classes = [JSONLDRenderer, FastJSONRenderer, TurtleRenderer]
    parser_classes = [JSONLDParser, JSONParser]
    vary = "Accept, Authorization, Cookie"

    def link(self, request: Request) -> str | None:
        raise NotImplementedError

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        """`?format=` names one of the representations (jsonld, json, ttl), or it is a 400."""
        chosen = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE or "format")
        if not force and chosen is not None and chosen not in {renderer.format for renderer in self.get_renderers()}:
            raise ValidationError({"format": ["Ask for jsonld, json or ttl."]})
        return super().perform_content_negotiation(request, force)

    def options(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        """Answered without credentials and without reading anything: a CORS pre-flight."""
        response = Response(status=204, headers=CORS_PREFLIGHT)
        response["Access-Control-Allow-Methods"] = ", ".join(self.allowed_methods)
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            # Errors are the API's error JSON, whatever representation of the resource was asked for.
            response.accepted_renderer = FastJSONRenderer()
            response.accepted_media_type = "application/json"
        link = self.link(request)
        if link:
            response["Link"] = link
        response["Vary"] = self.vary
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response


# --- OpenAPI -------------------------------------------------------------------------------------

ERRORS = {
    400: "The annotation or the query is not valid, or asks for something the workbench cannot store.",
    401: "No credentials.",
    403: "The role, or a read-only team key, does not allow this.",
    404: "No such article, annotation or page (or another team's).",
    405: "The method is not allowed here (POST to a page).",
    406: "None of the accepted media types is served (JSON-LD, JSON, Turtle).",
    409: "The claim's state does not allow the change (a published claim's wording).",
    412: "If-Match does not match the annotation's current ETag.",
    415: "The body is not JSON-LD or JSON.",
    428: "If-Match is missing.",
}


def documented_answers(ok: dict[int, Any], *errors: int) -> dict[Any, Any]:
    """Each success in every served representation, each error as the API's error JSON."""
    responses: dict[Any, Any] = {}
    for status, shape in ok.items():
        if shape is None:
            responses[status] = OpenApiResponse(description="No content.")
            continue
        responses[(status, "application/ld+json")] = shape
        responses[(status, "application/json")] = shape
        responses[(status, "text/turtle")] = OpenApiResponse(OpenApiTypes.STR, description="The same graph as Turtle.")
    for status in errors:
        responses[(status, "application/json")] = OpenApiResponse(ErrorOut, description=ERRORS[status])
    return responses


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The annotation's ETag (of any representation), or the claim's version: \"3\".",
)
IRIS = OpenApiParameter(
    "iris",
    OpenApiTypes.INT,
    enum=[0, 1],
    description="1: pages of annotation IRIs, 0: of annotations. Without it, the Prefer header decides "
    "(oa:PreferContainedIRIs; oa:PreferContainedDescriptions is the default).",
)
PREFER = OpenApiParameter(
    "Prefer",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='return=representation;include="…" with oa:PreferContainedIRIs, '
    "oa:PreferContainedDescriptions and/or ldp:PreferMinimalContainer.",
)
CONTAINER_PARAMETERS = [IRIS, PREFER]
PAGE_PARAMETERS = [
    OpenApiParameter(
        "number",
        {"type": "integer", "minimum": 0, "maximum": MAX_ID},
        OpenApiParameter.PATH,
        description="The page, from 0.",
    ),
    IRIS,
    PREFER,
]
