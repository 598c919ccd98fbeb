"""The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/) over an article's claims.

/articles/{id}/annotations/ is an LDP Basic Container and an AnnotationCollection, paged with
AnnotationPages. Its description has one IRI per kind of page (`?iris=1`: contained IRIs,
`?iris=0`: contained descriptions, chosen by the `Prefer` header when the query does not say), and
every page link keeps it. POST creates a claim (201 + Location); POST to a page is a 405. Each
annotation (`…/annotations/{claim_id}`, and `claims/{id}/annotation`) answers GET, HEAD and
OPTIONS; PUT replaces its bodies (If-Match required, 412 when stale) and DELETE removes it (204).

Every response carries the protocol's Link (the container's type and constraints, an annotation's
ldp:Resource type), Allow and Vary headers, and the GET/HEAD ones an ETag; the container also
advertises Accept-Post. Annotations, collections and pages are served as JSON-LD with the
Web Annotation profile (the default), as plain JSON and as Turtle. OPTIONS needs no credentials,
so that browsers' CORS pre-flight requests succeed; the headers allow any origin without
credentials (cookies are never honoured cross-origin), so cross-origin clients use a token.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.claims import article_claims
from annotations.api.errors import PreconditionFailed, PreconditionRequired
from annotations.api.parsers import JSONParser
from annotations.api.permissions import Caller, caller
from annotations.api.renderers import FastJSONRenderer
from annotations.api.serializers.claim_json import claim_rows, claims_json
from annotations.api.serializers.common import ErrorOut
from annotations.api.serializers.webannotation import (
    ANNO_PROFILE,
    AnnotationChange,
    AnnotationCollectionOut,
    AnnotationIn,
    AnnotationOut,
    AnnotationPageOut,
    AnnotationReplaceIn,
    ContainerState,
    annotation_id,
    annotation_json,
    article_target_source,
    collection_json,
    comment_rows,
    page_json,
    read_annotation,
    turtle,
)
from annotations.models import Article, Claim, Comment, Source, Verdict
from annotations.services.claims import claim_create
from annotations.services.comments import comment_add
from annotations.services.sources import source_add
from annotations.services.workflow import claim_delete, claim_update

PAGE_SIZE = 100
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
PAGE_METHODS = "GET, HEAD, OPTIONS"
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


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _etag(request: Request, data: Any) -> str:
    renderer = getattr(request, "accepted_renderer", None)
    return f'"{_digest(data)}{ETAG_SUFFIX.get(getattr(renderer, "format", ""), "")}"'


def _tags(header: str) -> list[str]:
    return [value.strip() for value in header.split(",") if value.strip()]


def _not_modified(request: Request, etag: str) -> bool:
    """If-None-Match, compared weakly (RFC 9110 13.1.2)."""
    tags = [tag.removeprefix("W/") for tag in _tags(request.headers.get("If-None-Match", ""))]
    return "*" in tags or etag in tags


def _require_match(request: Request, data: Any, claim: Claim) -> None:
    """If-Match, compared strongly: the ETag of any representation of the current state, or the claim's
    version ("3"), as every other claim write takes it (README: versions on every write)."""
    header = request.headers.get("If-Match", "")
    if not header:
        raise PreconditionRequired()
    current = {f'"{_digest(data)}{suffix}"' for suffix in ETAG_SUFFIX.values()} | {f'"{claim.version}"'}
    tags = _tags(header)
    if "*" not in tags and not current & set(tags):
        raise PreconditionFailed()


def _prefer_includes(header: str) -> set[str]:
    """The IRIs in a Prefer header's `include` parameters (RFC 7240; LDP 7.2)."""
    found: set[str] = set()
    for preference in header.split(","):
        for parameter in preference.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "include":
                found.update(value.strip().strip('"').split())
    return found


class _W3CView(APIView):
    renderer_classes = [JSONLDRenderer, FastJSONRenderer, TurtleRenderer]
    parser_classes = [JSONLDParser, JSONParser]
    vary = "Accept, Authorization, Cookie"

    def link(self, request: Request) -> str | None:
        raise NotImplementedError

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


# --- Reading -------------------------------------------------------------------------------------


def _annotations(request: Request, article: Article, claims: list[Any], *, with_context: bool) -> list[dict[str, Any]]:
    """Claims (rows or instances) as annotations: three queries whatever their number."""
    found = claims_json(claims)
    comments = comment_rows(claim["id"] for claim in found)
    return [
        annotation_json(
            claim, request=request, article=article, comments=comments[claim["id"]], with_context=with_context
        )
        for claim in found
    ]


def _one(request: Request, article: Article, claim_id: int) -> tuple[Claim, dict[str, Any]]:
    claim = Claim.objects.filter(pk=claim_id, article=article, team_id=article.team_id).first()
    if claim is None:
        raise Http404("No such annotation.")
    return claim, _annotations(request, article, [claim], with_context=True)[0]


def _per_article(rows: QuerySet[Any], value: Count | Max, *, by: str = "claim__article") -> Subquery:
    """One value over the rows of the outer article (`by` names the article)."""
    return Subquery(rows.order_by().values(by).annotate(value=value).values("value")[:1])


def _container_state(request: Request, article: Article, *, iris: bool) -> ContainerState:
    """How many annotations there are and when any of them last changed, bodies included (one query)."""
    claims = Claim.objects.filter(article=OuterRef("pk"), team_id=OuterRef("team_id"))
    bodies = {"claim__article": OuterRef("pk"), "claim__team_id": OuterRef("team_id")}
    stats = (
        Article.objects.filter(pk=article.pk)
        .values(
            total=_per_article(claims, Count("id"), by="article"),
            latest_claim=_per_article(claims, Max("updated_at"), by="article"),
            latest_verdict=_per_article(Verdict.objects.filter(is_current=True, **bodies), Max("created_at")),
            latest_source=_per_article(Source.objects.filter(**bodies), Max("created_at")),
            latest_comment=_per_article(Comment.objects.filter(**bodies), Max("created_at")),
        )
        .get()
    )
    latest = (stats["latest_claim"], stats["latest_verdict"], stats["latest_source"], stats["latest_comment"])
    times: list[datetime] = [time for time in latest if time is not None]
    return ContainerState(
        container=request.build_absolute_uri(reverse("api-article-annotations", args=[article.pk])),
        label=f"Claims in “{article.title}”",
        total=stats["total"] or 0,
        modified=max(times) if times else None,
        page_size=PAGE_SIZE,
        iris=iris,
    )


def _page_items(
    request: Request, state: ContainerState, article: Article, claims: QuerySet[Claim], number: int
) -> list[Any]:
    start = number * PAGE_SIZE
    if state.iris:
        ids = article_claims(claims).values_list("id", flat=True)[start : start + PAGE_SIZE]
        return [annotation_id(request, article.pk, claim_id) for claim_id in ids]
    rows = list(claim_rows(article_claims(claims))[start : start + PAGE_SIZE])
    return _annotations(request, article, rows, with_context=False)


# --- Writing -------------------------------------------------------------------------------------


def _add_bodies(who: Caller, claim: Claim, change: AnnotationChange) -> None:
    """The new sources and comments of an annotation, each as its own action allows."""
    for source in change.sources:
        who.claim(claim.pk, action="source.add")
        source_add(claim=claim, user=who.acting_user(), **source)
    for comment in change.comments:
        who.claim(claim.pk, action="comment.add")
        comment_add(claim=claim, user=who.acting_user(), body=comment)


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


def _responses(ok: dict[int, Any], *errors: int) -> dict[Any, Any]:
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
CONTAINER_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT, description="An AnnotationPage, from 0; without it, the collection."),
    OpenApiParameter(
        "iris",
        OpenApiTypes.INT,
        enum=[0, 1],
        description="1: pages of annotation IRIs, 0: of annotations. Without it, the Prefer header decides "
        "(oa:PreferContainedIRIs; oa:PreferContainedDescriptions is the default).",
    ),
    OpenApiParameter(
        "Prefer",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description='return=representation;include="…" with oa:PreferContainedIRIs, '
        "oa:PreferContainedDescriptions and/or ldp:PreferMinimalContainer.",
    ),
]
CONTAINER_OUT = PolymorphicProxySerializer(
    component_name="AnnotationContainerOut",
    serializers=[AnnotationCollectionOut, AnnotationPageOut],
    resource_type_field_name=None,
)


# --- Views ---------------------------------------------------------------------------------------


class AnnotationContainer(_W3CView):
    policy = {"GET": "claim.read", "POST": "claim.create", "OPTIONS": "api.describe"}
    vary = "Accept, Prefer, Authorization, Cookie"

    def link(self, request: Request) -> str | None:
        return None if "page" in request.query_params else CONTAINER_LINK

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if "page" in request.query_params:
            response["Allow"] = PAGE_METHODS
            if response.has_header("Access-Control-Allow-Methods"):
                response["Access-Control-Allow-Methods"] = PAGE_METHODS
        elif request.method in ("GET", "HEAD", "OPTIONS"):
            response["Accept-Post"] = ACCEPT_POST
        return response

    def _wants_iris(self, request: Request) -> bool:
        chosen = request.query_params.get("iris")
        if chosen is not None:
            if chosen not in ("0", "1"):
                raise ValidationError({"iris": ["Use iris=1 for annotation IRIs, iris=0 for annotations."]})
            return chosen == "1"
        includes = _prefer_includes(request.headers.get("Prefer", ""))
        return PREFER_IRIS in includes and PREFER_DESCRIPTIONS not in includes

    @extend_schema(
        operation_id="article_annotations_container",
        parameters=CONTAINER_PARAMETERS,
        responses=_responses({200: CONTAINER_OUT}, 400, 401, 403, 404, 406),
        description="The AnnotationCollection (no `page`) or one AnnotationPage (`page`).",
    )
    def get(self, request: Request, article_id: int) -> Response:
        article = caller(request).article(article_id)
        claims = Claim.objects.filter(article=article, team_id=article.team_id)
        state = _container_state(request, article, iris=self._wants_iris(request))
        raw_page = request.query_params.get("page")
        if raw_page is not None:
            if not raw_page.isdigit() or len(raw_page) > 9:
                raise ValidationError({"page": ["Give a page number from 0."]})
            number = int(raw_page)
            if state.total == 0 or number > state.last_page:
                raise Http404("No such page.")
            data = page_json(
                state, number, _page_items(request, state, article, claims, number), request=request, embedded=False
            )
            links = [f'<{state.id}>; rel="collection"']
            links += [f'<{data[rel]}>; rel="{rel}"' for rel in ("next", "prev") if rel in data]
            headers = {"Content-Location": data["id"], "Link": ", ".join(links)}
        else:
            minimal = PREFER_MINIMAL in _prefer_includes(request.headers.get("Prefer", ""))
            first = None
            if state.total and not minimal:
                first = page_json(
                    state, 0, _page_items(request, state, article, claims, 0), request=request, embedded=True
                )
            data = collection_json(state, request=request, first=first, minimal=minimal)
            headers = {"Content-Location": state.id}
        headers["ETag"] = _etag(request, data)
        if _not_modified(request, headers["ETag"]):
            return Response(status=304, headers=headers)
        return Response(data, headers=headers)

    @extend_schema(
        operation_id="article_annotations_create",
        request={"application/ld+json": AnnotationIn, "application/json": AnnotationIn},
        responses=_responses({201: AnnotationOut}, 400, 401, 403, 404, 405, 406, 409, 415),
    )
    def post(self, request: Request, article_id: int) -> Response:
        if "page" in request.query_params:
            raise MethodNotAllowed("POST", detail="A page cannot be written to: POST to the container.")
        who = caller(request)
        article = who.article(article_id)
        change = read_annotation(request.data, target_source=article_target_source(request, article))
        with transaction.atomic():
            claim = claim_create(article=article, user=who.acting_user(), restated=change.restated, **change.selectors)
            _add_bodies(who, claim, change)
        _, annotation = _one(request, article, claim.pk)
        headers = {"Location": annotation["id"], "ETag": _etag(request, annotation)}
        return Response(annotation, status=201, headers=headers)


class _Annotation(_W3CView):
    def link(self, request: Request) -> str | None:
        return ANNOTATION_LINK

    def _read(self, request: Request, annotation: dict[str, Any]) -> Response:
        etag = _etag(request, annotation)
        if _not_modified(request, etag):
            return Response(status=304, headers={"ETag": etag})
        return Response(annotation, headers={"ETag": etag})


class AnnotationDetail(_Annotation):
    policy = {"GET": "claim.read", "PUT": "claim.edit", "DELETE": "claim.delete", "OPTIONS": "api.describe"}

    @extend_schema(
        operation_id="article_annotations_retrieve", responses=_responses({200: AnnotationOut}, 401, 403, 404, 406)
    )
    def get(self, request: Request, article_id: int, claim_id: int) -> Response:
        article = caller(request).article(article_id)
        _, annotation = _one(request, article, claim_id)
        return self._read(request, annotation)

    @extend_schema(
        operation_id="article_annotations_update",
        parameters=[IF_MATCH],
        request={"application/ld+json": AnnotationReplaceIn, "application/json": AnnotationReplaceIn},
        responses=_responses({200: AnnotationOut}, 400, 401, 403, 404, 406, 409, 412, 415, 428),
        description="Replaces the annotation's bodies: the restated claim (a describing TextualBody) is "
        "replaced or cleared, new commenting TextualBodies become comments and new source bodies sources. "
        "The target, the verdict, and the sources and comments already there cannot change (400).",
    )
    def put(self, request: Request, article_id: int, claim_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        claim, annotation = _one(request, article, claim_id)
        _require_match(request, annotation, claim)
        change = read_annotation(
            request.data, target_source=article_target_source(request, article), current=annotation
        )
        with transaction.atomic():
            if change.restated != claim.restated:
                read = claim.version  # a write since the read above is a 409, not overwritten
                claim = who.claim(claim.pk, action="claim.edit_wording")
                claim_update(claim=claim, user=who.acting_user(), version=read, restated=change.restated)
            _add_bodies(who, claim, change)
        _, annotation = _one(request, article, claim.pk)
        return Response(annotation, headers={"ETag": _etag(request, annotation)})

    @extend_schema(
        operation_id="article_annotations_destroy",
        parameters=[IF_MATCH],
        responses=_responses({204: None}, 401, 403, 404, 409, 412, 428),
    )
    def delete(self, request: Request, article_id: int, claim_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        claim, annotation = _one(request, article, claim_id)
        _require_match(request, annotation, claim)
        claim_delete(claim=claim, user=who.acting_user(), version=claim.version)
        return Response(status=204)


class ClaimAnnotation(_Annotation):
    """One claim as a Web Annotation, found by claim id: the IRI minted as every annotation's `canonical`."""

    policy = {"GET": "claim.read", "OPTIONS": "api.describe"}

    @extend_schema(operation_id="claims_annotation", responses=_responses({200: AnnotationOut}, 401, 403, 404, 406))
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        _, annotation = _one(request, claim.article, claim.pk)
        return self._read(request, annotation)
