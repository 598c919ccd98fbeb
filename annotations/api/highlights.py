"""An article's highlights: what the reading view draws, in one compact answer with an ETag.

The JSON comes from PostgreSQL as it is sent (annotations.selectors.highlights), so the answer is
an HttpResponse of those bytes rather than data for a renderer. Accept is still negotiated by DRF
first: anything but JSON is a 406.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from annotations import policy
from annotations.api.permissions import caller
from annotations.api.schema import DIGEST_ETAG
from annotations.api.serializers.highlights import ArticleHighlightsOut
from annotations.api.versions import if_none_match
from annotations.selectors.highlights import article_highlights

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag of the highlights you have: answered 304 while none of the article's claims changed.",
)


class ArticleHighlights(APIView):
    """GET every claim of the article as the reading view draws it: span, status, rating, anchor outcome.

    Not paginated: one answer holds them all, in document order (orphans last), with the revision
    their offsets count in. A claim's full JSON is `GET /api/v1/claims/{id}/`.
    """

    policy = {"GET": "claim.read"}

    @extend_schema(
        operation_id="article_highlights",
        parameters=[IF_NONE_MATCH],
        responses={
            200: ArticleHighlightsOut,
            304: OpenApiResponse(description="None of the article's claims changed since that ETag."),
        },
        extensions=DIGEST_ETAG,
    )
    def get(self, request: Request, article_id: int) -> HttpResponse:
        article = caller(request).article(article_id, defer=policy.ARTICLE_TEXTS)
        highlights = article_highlights(article=article)
        if if_none_match(request, highlights.etag):
            return HttpResponse(status=304, headers={"ETag": highlights.etag})
        return HttpResponse(highlights.body, content_type="application/json", headers={"ETag": highlights.etag})
