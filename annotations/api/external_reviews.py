"""Checked elsewhere: other fact-checkers' ClaimReview a team imported, and the feeds it reads them from.

Members read; editors import a JSON-LD document, add, read again or remove a feed, and remove an
imported review (annotations.services.external_reviews). Items of a document that cannot be used
are not an error: the answer lists them under `skipped` with their number and the reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy
from annotations.api.pagination import Key, page_parameters, paginate, paginated_response
from annotations.api.parsers import JSONParser
from annotations.api.serializers.common import MAX_ID, ErrorOut, Input, query_integer, url_in
from annotations.claimreview_import import MAX_ITEMS
from annotations.models import ExternalReview, ReviewFeed
from annotations.selectors.external_reviews import external_reviews_of_team, review_feeds_of_team
from annotations.services.external_reviews import (
    external_review_delete,
    external_reviews_import,
    review_feed_add,
    review_feed_refresh_now,
    review_feed_remove,
)

FEED_ORDER = [Key("id")]
REVIEW_ORDER = [Key("id", descending=True)]


class JSONLDParser(JSONParser):
    media_type = "application/ld+json"


def feed_json(feed: ReviewFeed) -> dict[str, Any]:
    return {
        "id": feed.pk,
        "team": feed.team_id,
        "url": feed.url,
        "created_at": feed.created_at,
        "refreshed_at": feed.refreshed_at,
        "next_refresh_at": feed.next_refresh_at,
        "last_error": feed.last_error,
        "review_count": feed.review_count,
        "stored": feed.stored,  # type: ignore[attr-defined]  # annotated by the selector
    }


def review_json(review: ExternalReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "team": review.team_id,
        "feed": review.feed_id,
        "url": review.url,
        "publisher": review.publisher,
        "publisher_url": review.publisher_url,
        "claim_reviewed": review.claim_reviewed,
        "claimant": review.claimant,
        "claim_date": review.claim_date,
        "rating_text": review.rating_text,
        "rating_value": review.rating_value,
        "best_rating": review.best_rating,
        "worst_rating": review.worst_rating,
        "published_at": review.published_at,
        "language": review.language,
        "embedded": not review.pending,
        "imported_at": review.imported_at,
        "updated_at": review.updated_at,
    }


class FeedOut(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.IntegerField()
    url = serializers.URLField()
    created_at = serializers.DateTimeField()
    refreshed_at = serializers.DateTimeField(allow_null=True, help_text="When the feed was last read.")
    next_refresh_at = serializers.DateTimeField(allow_null=True, help_text="When it is read next.")
    last_error = serializers.CharField(
        allow_blank=True, help_text="Why the last read failed, or which items it skipped; empty when all went well."
    )
    review_count = serializers.IntegerField(help_text="Reviews the last read found.")
    stored = serializers.IntegerField(help_text="Reviews from this feed the team keeps.")


class FeedIn(Input):
    url = url_in(help_text="A schema.org DataFeed of ClaimReview, or a page whose JSON-LD holds ClaimReview.")


class ReviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.IntegerField()
    feed = serializers.IntegerField(allow_null=True, help_text="The feed it was last read from; null if imported.")
    url = serializers.URLField(help_text="The review's page, in normal form.")
    publisher = serializers.CharField()
    publisher_url = serializers.CharField(allow_blank=True)
    claim_reviewed = serializers.CharField()
    claimant = serializers.CharField(allow_blank=True)
    claim_date = serializers.DateField(allow_null=True)
    rating_text = serializers.CharField(allow_blank=True, help_text="The rating as published (alternateName).")
    rating_value = serializers.FloatField(allow_null=True)
    best_rating = serializers.FloatField(allow_null=True)
    worst_rating = serializers.FloatField(allow_null=True)
    published_at = serializers.DateField(allow_null=True)
    language = serializers.CharField(allow_blank=True)
    embedded = serializers.BooleanField(help_text="Its meaning vector is computed: matching can find it.")
    imported_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SkippedOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's number in the document, from 0, in document order.")
    reason = serializers.CharField()


class ImportOut(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField(help_text="Reviews already imported whose published fields changed.")
    unchanged = serializers.IntegerField()
    skipped = SkippedOut(many=True)


class FeedPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FeedOut(many=True)


class ReviewPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReviewOut(many=True)


JSON_LD_DOCUMENT = {
    "description": "A ClaimReview, a list of them, an object with an @graph, or a schema.org DataFeed whose "
    "dataFeedElement items are ClaimReviews or DataFeedItems holding them.",
    "oneOf": [{"type": "object"}, {"type": "array", "maxItems": MAX_ITEMS}],
}
ERROR = OpenApiResponse(ErrorOut, "The error, with a message per field.")
FEED_PARAMETER = OpenApiParameter(
    "feed", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, description="Only the reviews of this feed."
)


def _feed_now(feed: ReviewFeed) -> dict[str, Any]:
    return feed_json(review_feeds_of_team(team=feed.team).get(pk=feed.pk))


def _user(request: Request) -> User:
    assert isinstance(request.user, User)  # writes need a member (PolicyPermission)
    return request.user


class TeamReviewFeeds(APIView):
    """GET the team's feeds (members); POST {"url"} adds one, read at once and then on schedule (editors)."""

    policy = {"GET": "external_review.read", "POST": "external_review.manage"}

    @extend_schema(operation_id="team_review_feeds_list", parameters=page_parameters(FEED_ORDER), responses=FeedPage)
    def get(self, request: Request, team_id: int) -> Response:
        team = policy.membership_for(request, team_id=team_id).team
        return paginated_response(paginate(request, review_feeds_of_team(team=team), FEED_ORDER), feed_json)

    @extend_schema(
        operation_id="team_review_feeds_create",
        request=FeedIn,
        responses={201: FeedOut, 200: OpenApiResponse(FeedOut, "The team already reads this feed."), 400: ERROR},
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = policy.membership_for(request, team_id=team_id).team
        data = FeedIn(data=request.data)
        data.is_valid(raise_exception=True)
        feed, created = review_feed_add(team=team, user=_user(request), url=data.validated_data["url"])
        return Response(_feed_now(feed), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ReviewFeedDetail(APIView):
    """DELETE stops reading the feed and removes the reviews last read from it (editors)."""

    policy = {"DELETE": "external_review.manage"}

    @extend_schema(operation_id="review_feeds_destroy", responses={204: None})
    def delete(self, request: Request, feed_id: int) -> Response:
        review_feed_remove(feed=policy.review_feed_for(request, feed_id), user=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewFeedRefresh(APIView):
    """POST reads the feed again as soon as a worker can (editors); the answer is the feed as it is now."""

    policy = {"POST": "external_review.manage"}

    @extend_schema(operation_id="review_feeds_refresh", request=None, responses={202: FeedOut})
    def post(self, request: Request, feed_id: int) -> Response:
        feed = review_feed_refresh_now(feed=policy.review_feed_for(request, feed_id), user=_user(request))
        return Response(_feed_now(feed), status=status.HTTP_202_ACCEPTED)


class TeamExternalReviews(APIView):
    """GET the reviews the team imported, newest import first (members); POST a JSON-LD document (editors)."""

    policy = {"GET": "external_review.read", "POST": "external_review.manage"}
    parser_classes = [JSONParser, JSONLDParser]

    @extend_schema(
        operation_id="team_external_reviews_list",
        parameters=[*page_parameters(REVIEW_ORDER), FEED_PARAMETER],
        responses=ReviewPage,
    )
    def get(self, request: Request, team_id: int) -> Response:
        team = policy.membership_for(request, team_id=team_id).team
        feed_id = None
        if "feed" in request.query_params:
            feed_id = query_integer(request.query_params["feed"], minimum=1, maximum=MAX_ID)
            if feed_id is None:
                raise ValidationError({"feed": ["Enter a feed's id."]})
        reviews = external_reviews_of_team(team=team, feed_id=feed_id)
        return paginated_response(paginate(request, reviews, REVIEW_ORDER), review_json)

    @extend_schema(
        operation_id="team_external_reviews_import",
        request={"application/json": JSON_LD_DOCUMENT, "application/ld+json": JSON_LD_DOCUMENT},
        responses={
            201: OpenApiResponse(ImportOut, "At least one review was new."),
            200: OpenApiResponse(ImportOut, "Nothing new: reviews were updated or left as they were, or skipped."),
            400: ERROR,
        },
    )
    def post(self, request: Request, team_id: int) -> Response:
        team = policy.membership_for(request, team_id=team_id).team
        if request.stream is None or not isinstance(request.data, dict | list):  # no body, or not JSON-LD
            raise ValidationError({"document": ["Send a JSON-LD object or a list of them."]})
        if isinstance(request.data, list) and len(request.data) > MAX_ITEMS:
            raise ValidationError({"document": [f"Send at most {MAX_ITEMS:,} items at once."]})
        outcome = external_reviews_import(team=team, user=_user(request), document=request.data)
        body = {
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "skipped": [{"index": s.index, "reason": s.reason} for s in outcome.skipped],
        }
        return Response(body, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


class ExternalReviewDetail(APIView):
    """DELETE removes one imported review (editors); a feed that still lists it brings it back on its next read."""

    policy = {"DELETE": "external_review.manage"}

    @extend_schema(operation_id="external_reviews_destroy", responses={204: None})
    def delete(self, request: Request, review_id: int) -> Response:
        external_review_delete(review=policy.external_review_for(request, review_id), user=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
