"""List filters shared by the claim, article, verdict and ClaimReview lists.

Query parameters: `article_url` (normalized first: scheme and host case, trailing slash,
tracking parameters), `status`, `rating` (a rating id), `claimant`, `assignee` (a user id, or
`none`), `updated_since`, `published_since` (ISO 8601) and `q` (text search).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from annotations.fetching.urls import InvalidURL, normalize_url
from annotations.models import Article, Claim, ClaimStatus, Verdict

MAX_QUERY_LENGTH = 200


def _int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValidationError({name: ["Enter a whole number."]}) from exc
    if not 1 <= value <= 2**63 - 1:
        raise ValidationError({name: ["Enter a positive id."]})
    return value


def datetime_param(request: Request, name: str) -> datetime.datetime | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    # An unencoded "+" of a UTC offset arrives as a space.
    try:
        value = parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({name: ["Enter a date and time in ISO 8601, e.g. 2025-04-01T12:00:00Z."]})
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def text_param(request: Request, name: str) -> str:
    value = request.query_params.get(name, "").strip()
    if len(value) > MAX_QUERY_LENGTH:
        raise ValidationError({name: [f"At most {MAX_QUERY_LENGTH} characters."]})
    if "\x00" in value:
        raise ValidationError({name: ["Null characters are not allowed."]})
    return value


def article_url_param(request: Request) -> str | None:
    raw = text_param(request, "article_url") if "article_url" in request.query_params else ""
    if not raw:
        return None
    try:
        return normalize_url(raw)
    except InvalidURL as exc:
        raise ValidationError({"article_url": [str(exc)]}) from exc


def claim_conditions(request: Request, path: str = "") -> Q:
    """The filters on a claim's own fields, reached through `path` ("" for claims, "claim__" for verdicts)."""
    conditions = Q()
    url = article_url_param(request)
    if url is not None:
        conditions &= Q(**{f"{path}article__canonical_url": url})
    status = request.query_params.get("status")
    if status:
        if status not in ClaimStatus.values:
            raise ValidationError({"status": [f"Choose one of {', '.join(ClaimStatus.values)}."]})
        conditions &= Q(**{f"{path}status": status})
    claimant = text_param(request, "claimant")
    if claimant:
        conditions &= Q(**{f"{path}claimant__icontains": claimant})
    assignee = request.query_params.get("assignee")
    if assignee == "none":
        conditions &= Q(**{f"{path}assignee__isnull": True})
    elif assignee:
        conditions &= Q(**{f"{path}assignee_id": _int(request, "assignee")})
    updated_since = datetime_param(request, "updated_since")
    if updated_since is not None:
        conditions &= Q(**{f"{path}updated_at__gte": updated_since})
    return conditions


def filter_claims(request: Request, claims: QuerySet[Claim]) -> QuerySet[Claim]:
    claims = claims.filter(claim_conditions(request))
    rating = _int(request, "rating")
    if rating is not None:
        claims = claims.filter(verdicts__is_current=True, verdicts__rating_id=rating)
    published_since = datetime_param(request, "published_since")
    if published_since is not None:
        published = Verdict.objects.filter(claim=OuterRef("pk"), published_at__gte=published_since)
        claims = claims.filter(Exists(published))
    q = text_param(request, "q")
    if q:
        claims = claims.filter(Q(exact__icontains=q) | Q(restated__icontains=q) | Q(claimant__icontains=q))
    return claims


def filter_articles(request: Request, articles: QuerySet[Article]) -> QuerySet[Article]:
    url = article_url_param(request)
    if url is not None:
        articles = articles.filter(canonical_url=url)
    updated_since = datetime_param(request, "updated_since")
    if updated_since is not None:
        articles = articles.filter(updated_at__gte=updated_since)
    published_since = datetime_param(request, "published_since")
    if published_since is not None:
        articles = articles.filter(published_on__gte=published_since.date())
    q = text_param(request, "q")
    if q:
        articles = articles.filter(Q(title__icontains=q) | Q(publisher__icontains=q))
    for name in ("status", "rating", "claimant", "assignee"):
        if request.query_params.get(name):
            matching = filter_claims(_only(request, name), Claim.objects.filter(article=OuterRef("pk")))
            articles = articles.filter(Exists(matching))
    return articles


def filter_verdicts(request: Request, verdicts: QuerySet[Verdict]) -> QuerySet[Verdict]:
    """Verdict lists and the ClaimReview feed: filters apply to the verdict and its claim."""
    verdicts = verdicts.filter(claim_conditions(request, "claim__"))
    rating = _int(request, "rating")
    if rating is not None:
        verdicts = verdicts.filter(rating_id=rating)
    published_since = datetime_param(request, "published_since")
    if published_since is not None:
        verdicts = verdicts.filter(published_at__gte=published_since)
    q = text_param(request, "q")
    if q:
        verdicts = verdicts.filter(
            Q(summary__icontains=q) | Q(claim__exact__icontains=q) | Q(claim__restated__icontains=q)
        )
    return verdicts


class _OnlyParams:
    def __init__(self, request: Request, name: str) -> None:
        self.query_params = {name: request.query_params.get(name, "")}


def _only(request: Request, name: str) -> Request:
    return _OnlyParams(request, name)  # type: ignore[return-value]


_COMMON = [
    OpenApiParameter("article_url", OpenApiTypes.STR, description="The article's URL; normalized before matching."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=ClaimStatus.values),
    OpenApiParameter("rating", OpenApiTypes.INT, description="A rating id: claims whose current verdict has it."),
    OpenApiParameter("claimant", OpenApiTypes.STR, description="Part of the claimant's name."),
    OpenApiParameter("assignee", OpenApiTypes.STR, description="A user id, or `none` for unassigned claims."),
    OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="Changed at or after this time."),
    OpenApiParameter("published_since", OpenApiTypes.DATETIME, description="A verdict published at or after this."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Text search."),
]
PAGE_PARAMETERS = [
    OpenApiParameter("cursor", OpenApiTypes.STR, description="From `next` or `previous` of a page."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Rows per page (1–500, default 50)."),
]
LIST_PARAMETERS = [*_COMMON, *PAGE_PARAMETERS]
