"""The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/) over an article's claims.

/articles/{id}/annotations/ is an LDP Basic Container and an AnnotationCollection paged with
AnnotationPage (?page=N). Each annotation is a claim: POST creates one (201 + Location), PUT
replaces its restated text (If-Match required; 412 on a stale ETag), DELETE removes it (204).
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.claims import article_claims
from annotations.api.errors import PreconditionFailed, PreconditionRequired
from annotations.api.permissions import caller
from annotations.api.renderers import FastJSONRenderer
from annotations.api.serializers.claim_json import claim_rows, claims_json
from annotations.api.serializers.common import ErrorOut
from annotations.api.serializers.webannotation import (
    ANNO_CONTEXT,
    ANNO_PROFILE,
    LDP_CONTEXT,
    AnnotationCollectionOut,
    AnnotationIn,
    AnnotationOut,
    AnnotationPageOut,
    annotation_json,
)
from annotations.errors import InvalidInput
from annotations.models import Article, Claim
from annotations.services.claims import claim_create
from annotations.services.workflow import claim_delete, claim_update

PAGE_SIZE = 100
CONSTRAINED_BY = "http://www.w3.org/TR/annotation-protocol/"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"


class JSONLDRenderer(FastJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = ANNO_PROFILE
        return super().render(data, accepted_media_type, renderer_context)


class JSONLDParser(JSONParser):
    media_type = "application/ld+json"


def _etag(data: Any) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _matches(header: str, etag: str) -> bool:
    candidates = [value.strip().removeprefix("W/") for value in header.split(",")]
    return "*" in candidates or etag in candidates


class _W3CView(APIView):
    renderer_classes = [JSONLDRenderer, FastJSONRenderer]
    parser_classes = [JSONLDParser, JSONParser]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Vary"] = "Accept, Prefer, Cookie, Authorization"
        return response


def _container_url(request: Request, article: Article) -> str:
    return request.build_absolute_uri(reverse("api-article-annotations", args=[article.pk]))


def _selectors(target: Any) -> dict[str, Any]:
    """The claim_create arguments from a target's TextQuoteSelector and TextPositionSelector."""
    if isinstance(target, list):
        target = target[0] if target else None
    if not isinstance(target, dict):
        raise InvalidInput("The target must be an object with a selector.", field="target")
    selector = target.get("selector")
    selectors = selector if isinstance(selector, list) else [selector]
    found: dict[str, Any] = {}
    for item in selectors:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "TextPositionSelector":
            start, end = item.get("start"), item.get("end")
            if (
                not (isinstance(start, int) and isinstance(end, int))
                or isinstance(start, bool)
                or isinstance(end, bool)
            ):
                raise InvalidInput("TextPositionSelector needs integer start and end.", field="target")
            found.update(start=start, end=end)
        elif item.get("type") == "TextQuoteSelector":
            exact = item.get("exact")
            if not isinstance(exact, str) or not exact:
                raise InvalidInput("TextQuoteSelector needs a non-empty exact.", field="target")
            found["exact"] = exact
            for side in ("prefix", "suffix"):
                if isinstance(item.get(side), str):
                    found[side] = item[side]
    if "start" not in found and "exact" not in found:
        raise InvalidInput("Give a TextQuoteSelector or a TextPositionSelector.", field="target")
    if "start" in found and "exact" in found:
        # Positions win; the quote is checked against them by claim_create.
        found.pop("prefix", None)
        found.pop("suffix", None)
    return found


def _restated(body: Any) -> str | None:
    bodies = body if isinstance(body, list) else [body] if body is not None else []
    for item in bodies:
        if isinstance(item, dict) and item.get("purpose") == "describing" and item.get("type") == "TextualBody":
            value = item.get("value")
            if not isinstance(value, str):
                raise InvalidInput("A describing body needs a text value.", field="body")
            return value
    return None


def _annotation_in(request: Request) -> dict[str, Any]:
    data = AnnotationIn(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _one(request: Request, article: Article, claim_id: int) -> tuple[Claim, dict[str, Any]]:
    claim = Claim.objects.filter(pk=claim_id, article=article, team_id=article.team_id).first()
    if claim is None:
        raise Http404("No such annotation.")
    return claim, annotation_json(claims_json([claim])[0], request=request, article=article)


PAGE_PARAMETER = OpenApiParameter("page", OpenApiTypes.INT, description="An AnnotationPage, from 0.")


class AnnotationContainer(_W3CView):
    policy = {"GET": "claim.read", "POST": "claim.create"}

    @extend_schema(
        operation_id="article_annotations_container",
        parameters=[PAGE_PARAMETER],
        responses={200: OpenApiTypes.OBJECT},
        description="An AnnotationCollection (no `page`) or one AnnotationPage (`page`): "
        f"{AnnotationCollectionOut.__name__} / {AnnotationPageOut.__name__}.",
    )
    def get(self, request: Request, article_id: int) -> Response:
        article = caller(request).article(article_id)
        claims = Claim.objects.filter(article=article, team_id=article.team_id)
        stats = claims.aggregate(total=Count("id"), modified=Max("updated_at"))
        total = stats["total"]
        last_page = max(0, math.ceil(total / PAGE_SIZE) - 1)
        container = _container_url(request, article)
        prefer = request.headers.get("Prefer", "")
        iris = PREFER_IRIS in prefer
        raw_page = request.query_params.get("page")
        headers = {
            "Link": f'<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", <{CONSTRAINED_BY}>; '
            'rel="http://www.w3.org/ns/ldp#constrainedBy"',
            "Accept-Post": ANNO_PROFILE,
            "Content-Location": request.build_absolute_uri(),
        }
        if raw_page is not None:
            if not raw_page.isdigit() or len(raw_page) > 9 or int(raw_page) > last_page:
                raise ValidationError({"page": [f"Enter a page from 0 to {last_page}."]})
            data = self._page(request, article, claims, int(raw_page), last_page, total, iris=iris, embedded=False)
        else:
            data = {
                "@context": [ANNO_CONTEXT, LDP_CONTEXT],
                "id": container,
                "type": ["BasicContainer", "AnnotationCollection"],
                "label": f"Claims in “{article.title}”",
                "total": total,
                "last": f"{container}?page={last_page}",
            }
            if stats["modified"] is not None:
                data["modified"] = stats["modified"].isoformat()
            if PREFER_MINIMAL not in prefer:
                data["first"] = self._page(request, article, claims, 0, last_page, total, iris=iris, embedded=True)
            else:
                data["first"] = f"{container}?page=0"
        etag = _etag([data, stats["modified"]])
        headers["ETag"] = etag
        if _matches(request.headers.get("If-None-Match", ""), etag):
            return Response(status=304, headers=headers)
        return Response(data, headers=headers)

    def _page(
        self,
        request: Request,
        article: Article,
        claims: QuerySet[Claim],
        number: int,
        last_page: int,
        total: int,
        *,
        iris: bool,
        embedded: bool,
    ) -> dict[str, Any]:
        container = _container_url(request, article)
        rows = claim_rows(article_claims(claims))[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
        items: list[Any] = [
            annotation_json(claim, request=request, article=article, with_context=False)
            for claim in claims_json(list(rows))
        ]
        if iris:
            items = [item["id"] for item in items]
        page: dict[str, Any] = {}
        if not embedded:
            page["@context"] = ANNO_CONTEXT
        page.update(
            {
                "id": f"{container}?page={number}",
                "type": "AnnotationPage",
                "partOf": {"id": container, "total": total},
                "startIndex": number * PAGE_SIZE,
                "items": items,
            }
        )
        if number < last_page:
            page["next"] = f"{container}?page={number + 1}"
        if number > 0:
            page["prev"] = f"{container}?page={number - 1}"
        return page

    @extend_schema(
        operation_id="article_annotations_create", request=AnnotationIn, responses={201: AnnotationOut, 400: ErrorOut}
    )
    def post(self, request: Request, article_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        data = _annotation_in(request)
        restated = _restated(data.get("body"))
        claim = claim_create(
            article=article, user=who.acting_user(), restated=restated or "", **_selectors(data["target"])
        )
        _, annotation = _one(request, article, claim.pk)
        return Response(annotation, status=201, headers={"Location": annotation["id"], "ETag": _etag(annotation)})


class AnnotationDetail(_W3CView):
    policy = {"GET": "claim.read", "PUT": "claim.edit", "DELETE": "claim.delete"}

    @extend_schema(operation_id="article_annotations_retrieve", responses=AnnotationOut)
    def get(self, request: Request, article_id: int, claim_id: int) -> Response:
        article = caller(request).article(article_id)
        _, annotation = _one(request, article, claim_id)
        etag = _etag(annotation)
        headers = {"ETag": etag, "Link": '<http://www.w3.org/ns/ldp#Resource>; rel="type"'}
        if _matches(request.headers.get("If-None-Match", ""), etag):
            return Response(status=304, headers=headers)
        return Response(annotation, headers=headers)

    @extend_schema(
        operation_id="article_annotations_update",
        parameters=[OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)],
        request=AnnotationIn,
        responses={200: AnnotationOut, 400: ErrorOut, 412: ErrorOut, 428: ErrorOut},
    )
    def put(self, request: Request, article_id: int, claim_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        claim, annotation = _one(request, article, claim_id)
        if_match = request.headers.get("If-Match", "")
        if not if_match:
            raise PreconditionRequired()
        if not _matches(if_match, _etag(annotation)):
            raise PreconditionFailed()
        data = _annotation_in(request)
        who.claim(claim.pk, action="claim.edit_wording")
        wanted = _selectors(data["target"])
        if wanted.get("start", claim.start) != claim.start or wanted.get("end", claim.end) != claim.end:
            raise InvalidInput("An annotation's target cannot be moved; create a new one.", field="target")
        claim_update(
            claim=claim, user=who.acting_user(), version=claim.version, restated=_restated(data.get("body")) or ""
        )
        _, annotation = _one(request, article, claim.pk)
        return Response(annotation, headers={"ETag": _etag(annotation)})

    @extend_schema(
        operation_id="article_annotations_destroy",
        parameters=[OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)],
        responses={204: None, 412: ErrorOut, 428: ErrorOut},
    )
    def delete(self, request: Request, article_id: int, claim_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        claim, annotation = _one(request, article, claim_id)
        if_match = request.headers.get("If-Match", "")
        if not if_match:
            raise PreconditionRequired()
        if not _matches(if_match, _etag(annotation)):
            raise PreconditionFailed()
        claim_delete(claim=claim, user=who.acting_user(), version=claim.version)
        return Response(status=204)


class ClaimAnnotation(_W3CView):
    """One claim as a Web Annotation, found by claim id."""

    policy = {"GET": "claim.read"}

    @extend_schema(operation_id="claims_annotation", responses=AnnotationOut)
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        _, annotation = _one(request, claim.article, claim.pk)
        return Response(annotation, headers={"ETag": _etag(annotation)})
