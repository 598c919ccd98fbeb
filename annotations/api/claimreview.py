"""Published verdicts as schema.org ClaimReview JSON-LD, shaped by annotations.claimreview (the same
builder as the public fact-check pages).

Only a claim's current verdict, once published and not retracted, is shown; anything else is a
404. The team feed is a schema.org DataFeed of every current published verdict, newest first, with
cursor pagination (`next` / `previous`, defined in its context as Hydra links) and the list filters.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.filters import LIST_PARAMETERS, filter_verdicts
from annotations.api.pagination import Key, paginate
from annotations.api.permissions import caller
from annotations.api.renderers import FastJSONRenderer
from annotations.api.serializers.common import ErrorOut
from annotations.claimreview import PublicProfile, claimreview, claimreview_feed
from annotations.models import Team, Verdict
from annotations.selectors.public import published_verdicts, scale_of

ORDER = [Key("published_at", descending=True, kind="datetime"), Key("id", descending=True)]


class LDJSONRenderer(FastJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def _review(verdict: Verdict, *, request: Request, profile: PublicProfile, bounds: Any, context: bool) -> dict:
    return claimreview(
        verdict=verdict,
        claim=verdict.claim,
        profile=profile,
        first_published_at=verdict.first_published_at,  # type: ignore[attr-defined]  # annotated by the selector
        bounds=bounds,
        absolute=request.build_absolute_uri,
        context=context,
    )


# --- The documented shape (tests/annotations/api/test_claimreview.py checks it key by key) ---------


class _LD(serializers.Serializer):
    # Its `type` / `id` / `context` fields are written `@type` / `@id` / `@context`.

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in ("context", "type", "id"):
            if name in fields:
                fields[f"@{name}"] = fields.pop(name)
        return fields


class ClaimReviewOrganizationOut(_LD):
    """A schema.org Organization (the team; a claim's publisher) or Person (a claimant)."""

    type = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField(required=False)
    logo = serializers.DictField(required=False, help_text="An ImageObject with the logo's `url`.")


class ClaimReviewCreativeWorkOut(_LD):
    """Where the claim appeared: the article, as a schema.org CreativeWork."""

    type = serializers.CharField()
    url = serializers.URLField(help_text="The article's canonical URL, or the public fact-check page.")
    headline = serializers.CharField()
    publisher = ClaimReviewOrganizationOut(required=False)
    author = serializers.ListField(child=serializers.DictField(), required=False)
    datePublished = serializers.DateField(required=False)


class ClaimReviewClaimOut(_LD):
    """The claim reviewed, as a schema.org Claim."""

    type = serializers.CharField()
    author = ClaimReviewOrganizationOut(
        required=False, help_text="The claimant (Person), else the article's publisher (Organization)."
    )
    datePublished = serializers.DateField(required=False, help_text="The claim's date, or the article's.")
    appearance = ClaimReviewCreativeWorkOut()
    firstAppearance = ClaimReviewCreativeWorkOut()


class ClaimReviewRatingOut(_LD):
    """The verdict's rating on the team's scale, as a schema.org Rating."""

    type = serializers.CharField()
    name = serializers.CharField()
    alternateName = serializers.CharField(help_text="The rating's label on the team's scale.")
    ratingValue = serializers.IntegerField(required=False)
    bestRating = serializers.IntegerField(required=False)
    worstRating = serializers.IntegerField(required=False)
    ratingExplanation = serializers.CharField(help_text="The verdict's summary.")


class ClaimReviewItemOut(_LD):
    """A published verdict as schema.org ClaimReview, in a DataFeed (whose @context applies)."""

    type = serializers.CharField()
    id = serializers.URLField()
    url = serializers.URLField(help_text="The public fact-check page.")
    name = serializers.CharField()
    claimReviewed = serializers.CharField()
    reviewRating = ClaimReviewRatingOut()
    author = ClaimReviewOrganizationOut()
    datePublished = serializers.DateTimeField(help_text="The fact-check's first publication.")
    dateModified = serializers.DateTimeField(help_text="The latest correction's publication.")
    itemReviewed = ClaimReviewClaimOut()
    reviewBody = serializers.CharField(help_text="The summary, then the rationale.")


class ClaimReviewOut(ClaimReviewItemOut):
    """A published verdict as schema.org ClaimReview JSON-LD."""

    context = serializers.CharField()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here


class ClaimReviewFeedOut(_LD):
    """A page of the team's published verdicts as a schema.org DataFeed of ClaimReview."""

    context = serializers.JSONField(help_text="schema.org, with `next` and `previous` as Hydra links.")  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    type = serializers.CharField()
    id = serializers.URLField()
    name = serializers.CharField()
    publisher = ClaimReviewOrganizationOut()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    dataFeedElement = ClaimReviewItemOut(many=True)


ERRORS = {
    401: OpenApiResponse(ErrorOut, description="No valid credentials."),
    403: OpenApiResponse(ErrorOut, description="The credentials may not read ClaimReview."),
    404: OpenApiResponse(ErrorOut, description="No such claim or team, another team's, or not published."),
}


class ClaimReviewDetail(APIView):
    policy = {"GET": "claimreview.read"}

    renderer_classes = [LDJSONRenderer, FastJSONRenderer]

    @extend_schema(
        operation_id="claims_claimreview",
        summary="A claim's published verdict as ClaimReview",
        description="404 until the claim's verdict is published, and again once it is retracted.",
        responses={200: ClaimReviewOut, **ERRORS},
    )
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        verdict = published_verdicts(team_ids=[claim.team_id]).filter(claim=claim).first()
        if verdict is None:
            raise Http404("This claim has no published verdict.")
        profile = PublicProfile.of(verdict.team, absolute=request.build_absolute_uri)
        bounds = scale_of(team_id=claim.team_id).bounds
        return Response(_review(verdict, request=request, profile=profile, bounds=bounds, context=True))


class TeamClaimReviewFeed(APIView):
    policy = {"GET": "claimreview.read"}

    renderer_classes = [LDJSONRenderer, FastJSONRenderer]

    @extend_schema(
        operation_id="teams_claimreview_feed",
        summary="The team's published verdicts as a schema.org DataFeed of ClaimReview",
        description=(
            "Newest publication first, cursor-paginated: follow `next` and `previous` (Hydra links in the "
            "feed's JSON-LD context). The list filters apply."
        ),
        parameters=LIST_PARAMETERS,
        responses={200: ClaimReviewFeedOut, 400: ErrorOut, **ERRORS},
    )
    def get(self, request: Request, team_id: int) -> Response:
        team: Team = caller(request).team(team_id)
        profile = PublicProfile.of(team, absolute=request.build_absolute_uri)
        bounds = scale_of(team_id=team.pk).bounds
        page = paginate(request, filter_verdicts(request, published_verdicts(team_ids=[team.pk])), ORDER)
        reviews = [_review(v, request=request, profile=profile, bounds=bounds, context=False) for v in page.rows]
        return Response(
            claimreview_feed(
                reviews=reviews,
                profile=profile,
                url=request.build_absolute_uri(),
                next_url=page.next,
                previous_url=page.previous,
            )
        )
