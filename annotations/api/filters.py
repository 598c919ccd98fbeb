"""List filters shared by the claim, article, verdict and ClaimReview lists.

Query parameters: `article_url` (normalized first: scheme and host case, trailing slash,
tracking parameters; a link that cannot be read matches nothing), `status`, `rating` (a rating
id), `claimant`, `assignee` (a user id, or `none`), `updated_since`, `published_since`
(RFC 3339) and `q` (text search).

Each parameter is read by the function that documents it (`PARAMETERS`), so what the schema calls
valid is what is accepted. A parameter sent empty is a value like any other: `status=` is not a
status (400), `q=` searches for nothing in particular (every row).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from annotations.api.pagination import Key, page_parameters
from annotations.api.serializers.common import DATE_TIME, MAX_ID, NUL, parse_date_time, query_integer
from annotations.fetching.urls import MAX_URL_LENGTH, InvalidURL, normalize_url
from annotations.models import Article, Claim, ClaimStatus, Verdict
from annotations.validation import InvalidDateTime

MAX_QUERY_LENGTH = 200
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


@dataclass(frozen=True)
class Param:
    """A query parameter: its schema and description, and how it is read."""

    name: str
    schema: dict[str, Any]
    description: str
    read: Callable[[str, str], Any]

    def value(self, request: Request) -> Any:
        """The parameter's value, or None when the request does not send it."""
        raw = request.query_params.get(self.name)
        return None if raw is None else self.read(self.name, raw)

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(self.name, self.schema, description=self.description)


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError({name: [message]})


def read_id(name: str, raw: str) -> int:
    value = query_integer(raw, minimum=1, maximum=MAX_ID)
    if value is None:
        raise _invalid(name, "Enter an id: a whole number from 1.")
    return value


def _read_assignee(name: str, raw: str) -> int | None:
    """A user id, or None for `none` (unassigned claims)."""
    return None if raw == "none" else read_id(name, raw)


def _read_status(name: str, raw: str) -> str:
    if raw not in ClaimStatus.values:
        raise _invalid(name, f"Choose one of {', '.join(ClaimStatus.values)}.")
    return raw


def read_date_time(name: str, raw: str) -> datetime.datetime:
    # An unencoded "+" of a UTC offset arrives as a space.
    try:
        return parse_date_time(re.sub(r" ([0-9]{2}:[0-9]{2})$", r"+\1", raw))
    except InvalidDateTime as exc:
        raise _invalid(name, str(exc)) from exc


def _text(max_length: int) -> Callable[[str, str], str]:
    def read(name: str, raw: str) -> str:
        if len(raw) > max_length:
            raise _invalid(name, f"At most {max_length} characters.")
        if "\x00" in raw:
            raise _invalid(name, "Null characters are not allowed.")
        return raw.strip()

    return read


def _read_article_url(name: str, raw: str) -> str | None:
    """The normalized link, or None when it cannot be one (then no article has it)."""
    text = _text(MAX_URL_LENGTH)(name, raw)
    try:
        return normalize_url(text) if text else ""
    except InvalidURL:
        return None


def _string(max_length: int) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length, "not": {"pattern": NUL}}


DATE_TIME_SCHEMA = {"type": "string", "format": "date-time", "pattern": DATE_TIME.pattern}
ARTICLE_URL = Param(
    "article_url",
    _string(MAX_URL_LENGTH),
    "The article's URL; normalized before matching. A link that cannot be read matches nothing.",
    _read_article_url,
)
STATUS = Param("status", {"type": "string", "enum": ClaimStatus.values}, "The claim's status.", _read_status)
RATING = Param("rating", ID, "A rating id: claims whose current verdict has it.", read_id)
CLAIMANT = Param("claimant", _string(MAX_QUERY_LENGTH), "Part of the claimant's name.", _text(MAX_QUERY_LENGTH))
ASSIGNEE = Param(
    "assignee",
    {"anyOf": [ID, {"type": "string", "enum": ["none"]}]},
    "A user id, or `none` for unassigned claims.",
    _read_assignee,
)
UPDATED_SINCE = Param("updated_since", DATE_TIME_SCHEMA, "Changed at or after this time.", read_date_time)
PUBLISHED_SINCE = Param(
    "published_since", DATE_TIME_SCHEMA, "A verdict published at or after this time.", read_date_time
)
QUERY = Param("q", _string(MAX_QUERY_LENGTH), "Text search.", _text(MAX_QUERY_LENGTH))
TEAM = Param("team", ID, "Only this team's.", read_id)

FILTERS = (ARTICLE_URL, STATUS, RATING, CLAIMANT, ASSIGNEE, UPDATED_SINCE, PUBLISHED_SINCE, QUERY)


def claim_conditions(request: Request, path: str = "") -> Q:
    """The filters on a claim's own fields, reached through `path` ("" for claims, "claim__" for verdicts)."""
    conditions = Q()
    url = ARTICLE_URL.value(request)
    if url is None and "article_url" in request.query_params:
        conditions &= Q(pk__in=[])
    elif url:
        conditions &= Q(**{f"{path}article__canonical_url": url})
    status = STATUS.value(request)
    if status is not None:
        conditions &= Q(**{f"{path}status": status})
    claimant = CLAIMANT.value(request)
    if claimant:
        conditions &= Q(**{f"{path}claimant__icontains": claimant})
    if "assignee" in request.query_params:
        assignee = ASSIGNEE.value(request)
        if assignee is None:
            conditions &= Q(**{f"{path}assignee__isnull": True})
        else:
            conditions &= Q(**{f"{path}assignee_id": assignee})
    updated_since = UPDATED_SINCE.value(request)
    if updated_since is not None:
        conditions &= Q(**{f"{path}updated_at__gte": updated_since})
    return conditions


def filter_claims(request: Request, claims: QuerySet[Claim]) -> QuerySet[Claim]:
    claims = claims.filter(claim_conditions(request))
    rating = RATING.value(request)
    if rating is not None:
        claims = claims.filter(verdicts__is_current=True, verdicts__rating_id=rating)
    published_since = PUBLISHED_SINCE.value(request)
    if published_since is not None:
        published = Verdict.objects.filter(claim=OuterRef("pk"), published_at__gte=published_since)
        claims = claims.filter(Exists(published))
    q = QUERY.value(request)
    if q:
        claims = claims.filter(Q(exact__icontains=q) | Q(restated__icontains=q) | Q(claimant__icontains=q))
    return claims


def filter_articles(request: Request, articles: QuerySet[Article]) -> QuerySet[Article]:
    url = ARTICLE_URL.value(request)
    if url is None and "article_url" in request.query_params:
        articles = articles.none()
    elif url:
        articles = articles.filter(canonical_url=url)
    updated_since = UPDATED_SINCE.value(request)
    if updated_since is not None:
        articles = articles.filter(updated_at__gte=updated_since)
    published_since = PUBLISHED_SINCE.value(request)
    if published_since is not None:
        articles = articles.filter(published_on__gte=published_since.date())
    q = QUERY.value(request)
    if q:
        articles = articles.filter(Q(title__icontains=q) | Q(publisher__icontains=q))
    for name in ("status", "rating", "claimant", "assignee"):
        if name in request.query_params:
            matching = filter_claims(_only(request, name), Claim.objects.filter(article=OuterRef("pk")))
            articles = articles.filter(Exists(matching))
    return articles


def filter_verdicts(request: Request, verdicts: QuerySet[Verdict]) -> QuerySet[Verdict]:
    """Verdict lists and the ClaimReview feed: filters apply to the verdict and its claim."""
    verdicts = verdicts.filter(claim_conditions(request, "claim__"))
    rating = RATING.value(request)
    if rating is not None:
        verdicts = verdicts.filter(rating_id=rating)
    published_since = PUBLISHED_SINCE.value(request)
    if published_since is not None:
        verdicts = verdicts.filter(published_at__gte=published_since)
    q = QUERY.value(request)
    if q:
        verdicts = verdicts.filter(
            Q(summary__icontains=q) | Q(claim__exact__icontains=q) | Q(claim__restated__icontains=q)
        )
    return verdicts


class _OnlyParams:
    def __init__(self, request: Request, name: str) -> None:
        self.query_params = {name: request.query_params[name]}


def _only(request: Request, name: str) -> Request:
    return _OnlyParams(request, name)  # type: ignore[return-value]


def list_parameters(keys: list[Key], *extra: Param) -> list[OpenApiParameter]:
    """A filtered list's query parameters: the filters, `extra` ones, and its pages in the order `keys`."""
    return [*(param.openapi() for param in (*FILTERS, *extra)), *page_parameters(keys)]


# Newest first by publication, for annotations/api/claimreview.py's feed.
LIST_PARAMETERS = list_parameters([Key("published_at", descending=True, kind="datetime"), Key("id", descending=True)])
