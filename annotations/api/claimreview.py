"""Published verdicts as schema.org ClaimReview (https://schema.org/ClaimReview) JSON-LD.

Only a claim's current verdict, once published and not retracted, is shown; anything else is a
404. The team feed lists every current published verdict, newest first, with cursor pagination
and the list filters.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Min, QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.filters import LIST_PARAMETERS, filter_verdicts
from annotations.api.pagination import Key, paginate, paginated_response
from annotations.api.permissions import caller
from annotations.api.renderers import FastJSONRenderer
from annotations.api.serializers.common import page_of
from annotations.models import Rating, Team, Verdict

ORDER = [Key("published_at", descending=True, kind="datetime"), Key("id", descending=True)]


class LDJSONRenderer(FastJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def _scale_bounds(team_id: int) -> tuple[int | None, int | None]:
    bounds = Rating.objects.filter(scale__team_id=team_id, value__isnull=False).aggregate(
        best=Max("value"), worst=Min("value")
    )
    return bounds["best"], bounds["worst"]


def published_verdicts(team_ids: Any) -> QuerySet[Verdict]:
    """Current published verdicts. A correction under review leaves the published one here until it is
    published in its place; a retracted verdict is gone (the corrections log keeps its tombstone)."""
    return Verdict.objects.filter(
        team__in=team_ids, is_current=True, published_at__isnull=False, retracted_at__isnull=True
    ).select_related("rating", "team", "claim", "claim__article")


def claimreview_json(verdict: Verdict, *, request: Request, bounds: tuple[int | None, int | None]) -> dict[str, Any]:
    claim = verdict.claim
    article = claim.article
    assert verdict.published_at is not None
    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": article.title}
    appearance["url"] = article.canonical_url or request.build_absolute_uri(reverse("api-article", args=[article.pk]))
    if article.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.published_on:
        appearance["datePublished"] = article.published_on.isoformat()
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if claim.claimant:
        item["author"] = {"@type": "Person", "name": claim.claimant}
    claim_date = claim.claim_date or article.published_on
    if claim_date:
        item["datePublished"] = claim_date.isoformat()
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.rating.label}
    best, worst = bounds
    if verdict.rating.value is not None and best is not None and worst is not None:
        rating.update(ratingValue=verdict.rating.value, bestRating=best, worstRating=worst)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": request.build_absolute_uri(reverse("api-claim-claimreview", args=[claim.pk])),
        "datePublished": verdict.published_at.date().isoformat(),
        "author": {"@type": "Organization", "name": verdict.team.name},
        "claimReviewed": claim.restated or claim.exact,
        "itemReviewed": item,
        "reviewRating": rating,
        "reviewBody": verdict.summary,
    }
    if verdict.corrects_id is not None:
        review["dateModified"] = verdict.published_at.isoformat()
    return review


class ClaimReviewOut(serializers.Serializer):
    context = serializers.CharField()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    type = serializers.CharField()
    url = serializers.URLField()
    datePublished = serializers.DateField()
    author = serializers.DictField()
    claimReviewed = serializers.CharField()
    itemReviewed = serializers.DictField()
    reviewRating = serializers.DictField()
    reviewBody = serializers.CharField()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["@context"] = fields.pop("context")
        fields["@type"] = fields.pop("type")
        return fields


class ClaimReviewDetail(APIView):
    policy = {"GET": "claimreview.read"}

    renderer_classes = [LDJSONRenderer, FastJSONRenderer]

    @extend_schema(operation_id="claims_claimreview", responses=ClaimReviewOut)
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        verdict = published_verdicts([claim.team_id]).filter(claim=claim).first()
        if verdict is None:
            raise Http404("This claim has no published verdict.")
        return Response(claimreview_json(verdict, request=request, bounds=_scale_bounds(claim.team_id)))


class TeamClaimReviewFeed(APIView):
    policy = {"GET": "claimreview.read"}

    renderer_classes = [LDJSONRenderer, FastJSONRenderer]

    @extend_schema(
        operation_id="teams_claimreview_feed",
        parameters=LIST_PARAMETERS,
        responses=page_of(ClaimReviewOut, "ClaimReviewPage"),
    )
    def get(self, request: Request, team_id: int) -> Response:
        team: Team = caller(request).team(team_id)
        bounds = _scale_bounds(team.pk)
        page = paginate(request, filter_verdicts(request, published_verdicts([team.pk])), ORDER)
        return paginated_response(page, lambda verdict: claimreview_json(verdict, request=request, bounds=bounds))
