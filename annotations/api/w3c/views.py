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

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.api.claims import article_claims
from annotations.api.permissions import Caller, caller
from annotations.api.serializers.claim_json import claim_rows, claims_json
from annotations.api.versions import if_none_match
from annotations.api.w3c.containers import ContainerState, collection_json, page_json
from annotations.api.w3c.model import annotation_json, comment_rows
from annotations.api.w3c.protocol import (
    ACCEPT_POST,
    ANNOTATION_LINK,
    CONTAINER_LINK,
    CONTAINER_PARAMETERS,
    IF_MATCH,
    PAGE_PARAMETERS,
    PREFER_DESCRIPTIONS,
    PREFER_IRIS,
    PREFER_MINIMAL,
    W3CView,
    documented_answers,
    etag_of,
    prefer_includes,
    require_match,
)
from annotations.api.w3c.reading import AnnotationChange, read_annotation
from annotations.api.w3c.shapes import (
    AnnotationCollectionOut,
    AnnotationOut,
    AnnotationPageOut,
    input_schema,
)
from annotations.api.w3c.values import annotation_id, article_target_source
from annotations.models import Article, Claim, Comment, Source, Verdict
from annotations.services.claims import claim_create
from annotations.services.comments import comment_add
from annotations.services.sources import source_add
from annotations.services.workflow import claim_delete, claim_update

PAGE_SIZE = 100

# --- Reading -------------------------------------------------------------------------------------


def _annotations(request: Request, article: Article, claims: list[Any], *, with_context: bool) -> list[dict[str, Any]]:
    """Claims (rows or instances) as annotations: three queries whatever their number."""
    identities = {
        claim.pk if isinstance(claim, Claim) else claim["id"]: (
            (claim.canonical, claim.via) if isinstance(claim, Claim) else (claim["canonical"], claim["via"])
        )
        for claim in claims
    }
    found = claims_json(claims)
    comments = comment_rows(claim["id"] for claim in found)
    return [
        annotation_json(
            claim,
            request=request,
            article=article,
            comments=comments[claim["id"]],
            with_context=with_context,
            canonical=identities[claim["id"]][0],
            via=identities[claim["id"]][1],
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
            latest_copy=_per_article(Source.objects.filter(**bodies), Max("snapshot__fetched_at")),
            latest_comment=_per_article(Comment.objects.filter(**bodies), Max("created_at")),
        )
        .get()
    )
    latest = (
        stats["latest_claim"],
        stats["latest_verdict"],
        stats["latest_source"],
        stats["latest_copy"],
        stats["latest_comment"],
    )
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
    rows = list(claim_rows(article_claims(claims), "canonical", "via")[start : start + PAGE_SIZE])
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


# --- Views ---------------------------------------------------------------------------------------


def _wants_iris(request: Request) -> bool:
    """Pages of annotation IRIs (`iris=1`) or of annotations (`iris=0`); without it, as Prefer asks."""
    chosen = request.query_params.get("iris")
    if chosen is not None:
        if chosen not in ("0", "1"):
            raise ValidationError({"iris": ["Use iris=1 for annotation IRIs, iris=0 for annotations."]})
        return chosen == "1"
    includes = prefer_includes(request.headers.get("Prefer", ""))
    return PREFER_IRIS in includes and PREFER_DESCRIPTIONS not in includes


def _answer(request: Request, data: dict[str, Any], headers: dict[str, str]) -> Response:
    headers["ETag"] = etag_of(request, data)
    if if_none_match(request, headers["ETag"]):
        return Response(status=304, headers=headers)
    return Response(data, headers=headers)


class AnnotationContainer(W3CView):
    """The container: its description (the AnnotationCollection) answers GET, and POST creates."""

    policy = {"GET": "claim.read", "POST": "claim.create", "OPTIONS": "api.describe"}
    vary = "Accept, Prefer, Authorization, Cookie"

    def link(self, request: Request) -> str | None:
        return CONTAINER_LINK

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Accept-Post"] = ACCEPT_POST
        return response

    @extend_schema(
        operation_id="article_annotations_container",
        parameters=CONTAINER_PARAMETERS,
        responses=documented_answers({200: AnnotationCollectionOut}, 400, 401, 403, 404, 406),
        description="The AnnotationCollection: its first page embedded, unless Prefer asks for a minimal "
        "container (ldp:PreferMinimalContainer), and the IRI of its last page.",
    )
    def get(self, request: Request, article_id: int) -> Response:
        article = caller(request).article(article_id)
        claims = Claim.objects.filter(article=article, team_id=article.team_id)
        state = _container_state(request, article, iris=_wants_iris(request))
        minimal = PREFER_MINIMAL in prefer_includes(request.headers.get("Prefer", ""))
        first = None
        if state.total and not minimal:
            first = page_json(state, 0, _page_items(request, state, article, claims, 0), request=request, embedded=True)
        data = collection_json(state, request=request, first=first, minimal=minimal)
        return _answer(request, data, {"Content-Location": state.id})

    @extend_schema(
        operation_id="article_annotations_create",
        request={media: input_schema("AnnotationIn") for media in ("application/ld+json", "application/json")},
        responses=documented_answers({201: AnnotationOut}, 400, 401, 403, 404, 405, 406, 409, 415),
    )
    def post(self, request: Request, article_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        change = read_annotation(request.data, target_source=article_target_source(request, article))
        with transaction.atomic():
            claim = claim_create(
                article=article,
                user=who.acting_user(),
                restated=change.restated,
                canonical=change.canonical,
                via=change.via,
                **change.selectors,
            )
            _add_bodies(who, claim, change)
        _, annotation = _one(request, article, claim.pk)
        headers = {"Location": annotation["id"], "ETag": etag_of(request, annotation)}
        return Response(annotation, status=201, headers=headers)


class AnnotationPage(W3CView):
    """One AnnotationPage of the container: read only (a POST here is a 405; POST to the container)."""

    policy = {"GET": "claim.read", "OPTIONS": "api.describe"}
    vary = "Accept, Prefer, Authorization, Cookie"

    def link(self, request: Request) -> str | None:
        return None  # set per page: its collection, next and prev

    @extend_schema(
        operation_id="article_annotations_page",
        parameters=PAGE_PARAMETERS,
        responses=documented_answers({200: AnnotationPageOut}, 400, 401, 403, 404, 406),
    )
    def get(self, request: Request, article_id: int, number: int) -> Response:
        article = caller(request).article(article_id)
        claims = Claim.objects.filter(article=article, team_id=article.team_id)
        state = _container_state(request, article, iris=_wants_iris(request))
        if state.total == 0 or number > state.last_page:
            raise Http404("No such page.")
        data = page_json(
            state, number, _page_items(request, state, article, claims, number), request=request, embedded=False
        )
        links = [f'<{state.id}>; rel="collection"']
        links += [f'<{data[rel]}>; rel="{rel}"' for rel in ("next", "prev") if rel in data]
        return _answer(request, data, {"Content-Location": data["id"], "Link": ", ".join(links)})


class _Annotation(W3CView):
    def link(self, request: Request) -> str | None:
        return ANNOTATION_LINK

    def _read(self, request: Request, annotation: dict[str, Any]) -> Response:
        etag = etag_of(request, annotation)
        if if_none_match(request, etag):
            return Response(status=304, headers={"ETag": etag})
        return Response(annotation, headers={"ETag": etag})


class AnnotationDetail(_Annotation):
    policy = {"GET": "claim.read", "PUT": "claim.edit", "DELETE": "claim.delete", "OPTIONS": "api.describe"}

    @extend_schema(
        operation_id="article_annotations_retrieve",
        responses=documented_answers({200: AnnotationOut}, 401, 403, 404, 406),
    )
    def get(self, request: Request, article_id: int, claim_id: int) -> Response:
        article = caller(request).article(article_id)
        _, annotation = _one(request, article, claim_id)
        return self._read(request, annotation)

    @extend_schema(
        operation_id="article_annotations_update",
        parameters=[IF_MATCH],
        request={media: input_schema("AnnotationReplaceIn") for media in ("application/ld+json", "application/json")},
        responses=documented_answers({200: AnnotationOut}, 400, 401, 403, 404, 406, 409, 412, 415, 428),
        description="Replaces the annotation's bodies: the restated claim (a describing TextualBody) is "
        "replaced or cleared, new commenting TextualBodies become comments and new source bodies sources. "
        "The target, the verdict, and the sources and comments already there cannot change (400).",
    )
    def put(self, request: Request, article_id: int, claim_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        claim, annotation = _one(request, article, claim_id)
        require_match(request, annotation, claim)
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
        return Response(annotation, headers={"ETag": etag_of(request, annotation)})

    @extend_schema(
        operation_id="article_annotations_destroy",
        parameters=[IF_MATCH],
        responses=documented_answers({204: None}, 401, 403, 404, 409, 412, 428),
    )
    def delete(self, request: Request, article_id: int, claim_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        claim, annotation = _one(request, article, claim_id)
        require_match(request, annotation, claim)
        claim_delete(claim=claim, user=who.acting_user(), version=claim.version)
        return Response(status=204)


class ClaimAnnotation(_Annotation):
    """One claim as a Web Annotation, found by claim id: the IRI minted as every annotation's `canonical`."""

    policy = {"GET": "claim.read", "OPTIONS": "api.describe"}

    @extend_schema(
        operation_id="claims_annotation", responses=documented_answers({200: AnnotationOut}, 401, 403, 404, 406)
    )
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        _, annotation = _one(request, claim.article, claim.pk)
        return self._read(request, annotation)
