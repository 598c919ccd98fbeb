"""Claim suggestions: an article's, best first, and the desk's decision on one (accept or dismiss).

Accepting marks the claim with the suggestion's span and revision, as selecting it by hand does,
and answers the claim as creating it does (201, with its ETag).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy
from annotations.api.pagination import Key, page_parameters, paginate, paginated_response
from annotations.api.permissions import caller
from annotations.api.schema import ETAG
from annotations.api.serializers.claims import ClaimOut
from annotations.api.serializers.common import ErrorOut, page_of
from annotations.api.versions import claim_written
from annotations.models import Suggestion, SuggestionStatus
from annotations.policy import ARTICLE_TEXTS
from annotations.selectors.suggestions import article_suggestions
from annotations.services.suggestions import suggestion_accept, suggestion_dismiss

ORDER = [Key("rank", descending=True), Key("id")]


class SuggestionOut(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    article = serializers.IntegerField()
    start = serializers.IntegerField(allow_null=True, help_text="Code points; null once its text is gone.")
    end = serializers.IntegerField(allow_null=True)
    exact = serializers.CharField()
    prefix = serializers.CharField(allow_blank=True)
    suffix = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField(help_text="The article revision `start` and `end` count in.")
    score = serializers.FloatField(min_value=0, max_value=1, help_text="How likely the desk is to mark it.")
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why: figure, amount, percentage, date, comparison, attribution, …"
    )
    model_version = serializers.CharField(help_text="The weights that scored it: `base-…` or the team's `team-…`.")
    status = serializers.ChoiceField(choices=SuggestionStatus.choices)
    claim = serializers.IntegerField(allow_null=True, help_text="The claim it became, once accepted.")
    created_at = serializers.DateTimeField()


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {
        "id": s.pk,
        "article": s.article_id,
        "start": s.start,
        "end": s.end,
        "exact": s.exact,
        "prefix": s.prefix,
        "suffix": s.suffix,
        "revision": s.anchored_revision,
        "score": s.score,
        "reasons": list(s.reasons),
        "model_version": s.model_version,
        "status": s.status,
        "claim": s.claim_id,
        "created_at": s.created_at.isoformat(),
    }


DECIDED = OpenApiResponse(ErrorOut, "The suggestion was accepted or dismissed already, or its text is a claim now.")


class ArticleSuggestionList(APIView):
    """The article's open suggestions, best first (empty while the team has suggestions off)."""

    policy = {"GET": "suggestion.read"}

    @extend_schema(
        operation_id="article_suggestions_list",
        parameters=page_parameters(ORDER),
        responses=page_of(SuggestionOut, "SuggestionPage"),
    )
    def get(self, request: Request, article_id: int) -> Response:
        article = caller(request).article(article_id, defer=ARTICLE_TEXTS)
        return paginated_response(paginate(request, article_suggestions(article=article), ORDER), suggestion_json)


class SuggestionAccept(APIView):
    """POST marks the suggested span as a claim and answers the claim (201)."""

    policy = {"POST": "suggestion.decide"}

    @extend_schema(
        operation_id="suggestion_accept", request=None, responses={201: ClaimOut, 409: DECIDED}, extensions=ETAG
    )
    def post(self, request: Request, suggestion_id: int) -> Response:
        suggestion = policy.suggestion_for(request, suggestion_id)
        user = caller(request).acting_user()
        return claim_written(lambda: suggestion_accept(suggestion=suggestion, user=user), status=201)


class SuggestionDismiss(APIView):
    """POST records that the desk does not want the span checked; it is not suggested again."""

    policy = {"POST": "suggestion.decide"}

    @extend_schema(operation_id="suggestion_dismiss", request=None, responses={200: SuggestionOut, 409: DECIDED})
    def post(self, request: Request, suggestion_id: int) -> Response:
        suggestion = policy.suggestion_for(request, suggestion_id)
        dismissed = suggestion_dismiss(suggestion=suggestion, user=caller(request).acting_user())
        return Response(suggestion_json(dismissed))
