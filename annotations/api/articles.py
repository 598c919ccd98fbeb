"""Articles: list (filtered), create from text or from a URL, detail with the reader-visible text."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy
from annotations.api.filters import LIST_PARAMETERS, filter_articles
from annotations.api.pagination import Key, paginate, paginated_response
from annotations.api.permissions import caller
from annotations.api.serializers.articles import (
    ArticleCreateIn,
    ArticleDetailOut,
    ArticleOut,
    ArticleReviseIn,
    article_json,
)
from annotations.api.serializers.common import ErrorOut, page_of
from annotations.api.versions import required_version
from annotations.errors import InvalidInput
from annotations.fetching.urls import InvalidURL
from annotations.models import Article
from annotations.services.article_import import article_import_url
from annotations.services.articles import article_create, article_revise

ORDER = [Key("created_at", descending=True, kind="datetime"), Key("id", descending=True)]


def _articles(request: Request) -> QuerySet[Article]:
    return Article.objects.filter(team__in=caller(request).team_ids()).defer("source", "text", "layout")


class ArticleList(APIView):
    policy = {"GET": "article.read", "POST": "article.create"}

    @extend_schema(
        operation_id="articles_list", parameters=LIST_PARAMETERS, responses=page_of(ArticleOut, "ArticlePage")
    )
    def get(self, request: Request) -> Response:
        page = paginate(request, filter_articles(request, _articles(request)), ORDER)
        return paginated_response(page, lambda article: article_json(article, full=False))

    @extend_schema(operation_id="articles_create", request=ArticleCreateIn, responses={201: ArticleDetailOut})
    def post(self, request: Request) -> Response:
        who = caller(request)
        data = ArticleCreateIn(data=request.data)
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

    @extend_schema(operation_id="articles_retrieve", responses=ArticleDetailOut)
    def get(self, request: Request, article_id: int) -> Response:
        article = caller(request).article(article_id)
        etag = _etag(article)
        if etag in [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=304, headers={"ETag": etag})
        return Response(article_json(article, full=True), headers={"ETag": etag})

    @extend_schema(
        operation_id="articles_revise",
        request=ArticleReviseIn,
        responses={200: ArticleDetailOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut, 428: ErrorOut},
    )
    def patch(self, request: Request, article_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        data = ArticleReviseIn(data=request.data)
        data.is_valid(raise_exception=True)
        revision = required_version(request, data.validated_data.get("revision"), name="revision")
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
