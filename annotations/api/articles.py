"""Articles: list (filtered), create from text or from a URL, detail with the reader-visible text."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy
from annotations.api.filters import filter_articles, list_parameters
from annotations.api.pagination import Key, paginate, paginated_response
from annotations.api.permissions import caller
from annotations.api.schema import ETAG
from annotations.api.serializers.articles import (
    ArticleCreateIn,
    ArticleDetailOut,
    ArticleOut,
    ArticleReviseIn,
    article_create_input,
    article_json,
)
from annotations.api.serializers.common import page_of
from annotations.api.versions import if_none_match, with_version
from annotations.errors import InvalidInput
from annotations.fetching.urls import InvalidURL
from annotations.models import Article
from annotations.services.article_import import article_import_url
from annotations.services.articles import article_create, article_revise

ORDER = [Key("created_at", descending=True, kind="datetime"), Key("id", descending=True)]
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The revision you have, as an ETag (`"3"`): answered 304 while the text is still at it.',
)


def _articles(request: Request) -> QuerySet[Article]:
    return Article.objects.filter(team__in=caller(request).team_ids()).defer("source", "text", "layout")


class ArticleList(APIView):
    policy = {"GET": "article.read", "POST": "article.create"}

    @extend_schema(
        operation_id="articles_list", parameters=list_parameters(ORDER), responses=page_of(ArticleOut, "ArticlePage")
    )
    def get(self, request: Request) -> Response:
        page = paginate(request, filter_articles(request, _articles(request)), ORDER)
        return paginated_response(page, lambda article: article_json(article, full=False))

    @extend_schema(operation_id="articles_create", request=ArticleCreateIn, responses={201: ArticleDetailOut})
    def post(self, request: Request) -> Response:
        who = caller(request)
        data = article_create_input(request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        membership = who.membership(values.pop("team"))
        if membership is None:
            raise InvalidInput("You are not a member of this team.", field="team")
        policy.check(action="article.create", membership=membership)
        user = who.acting_user()
        if "url" in values:
            article = article_import_url(
                team=membership.team, user=user, url=values["url"], title=values.get("title", "")
            )
        else:
            try:
                article = article_create(team=membership.team, user=user, title=values.pop("title", ""), **values)
            except InvalidURL as exc:
                raise InvalidInput(str(exc), field="canonical_url") from exc
            except ValueError as exc:
                raise InvalidInput(str(exc), field="source") from exc
        return Response(article_json(article, full=True), status=201)


def _etag(article: Article) -> str:
    return f'"{article.revision}"'


class ArticleDetail(APIView):
    """GET the article with its text (ETag: its revision; If-None-Match answers 304 while it is unchanged).

    PATCH {source, source_format, revision} saves a new revision of the text (editors): every claim
    re-anchors against it. A stale revision is a 409 with the article now and who revised it.
    """

    policy = {"GET": "article.read", "PATCH": "article.revise"}

    @extend_schema(
        operation_id="articles_retrieve",
        parameters=[IF_NONE_MATCH],
        responses={200: ArticleDetailOut, 304: OpenApiResponse(description="The text is still at that revision.")},
        extensions=ETAG,
    )
    def get(self, request: Request, article_id: int) -> Response:
        article = caller(request).article(article_id)
        etag = _etag(article)
        if if_none_match(request, etag):
            return Response(status=304, headers={"ETag": etag})
        return Response(article_json(article, full=True), headers={"ETag": etag})

    @extend_schema(operation_id="articles_revise", request=ArticleReviseIn, responses=ArticleDetailOut, extensions=ETAG)
    def patch(self, request: Request, article_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        data = ArticleReviseIn(data=with_version(request, name="revision"))
        data.is_valid(raise_exception=True)
        revision = data.validated_data["revision"]
        with transaction.atomic():
            article = article_revise(
                article=article,
                user=who.acting_user(),
                source=data.validated_data["source"],
                source_format=data.validated_data["source_format"],
                revision=revision,
            )
            body = article_json(article, full=True)
        return Response(body, headers={"ETag": _etag(article)})
