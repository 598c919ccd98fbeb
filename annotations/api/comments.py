"""A claim's discussion: comments in the order they were written."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import Key, page_parameters, paginate, paginated_response
from annotations.api.permissions import caller
from annotations.api.serializers.common import page_of
from annotations.api.serializers.discussion import CommentIn, CommentOut, comment_json
from annotations.models import Comment
from annotations.services.comments import comment_add

ORDER = [Key("created_at", kind="datetime"), Key("id")]


class ClaimCommentList(APIView):
    policy = {"GET": "claim.read", "POST": "comment.add"}

    @extend_schema(
        operation_id="claim_comments_list",
        parameters=page_parameters(ORDER),
        responses=page_of(CommentOut, "CommentPage"),
    )
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        comments = Comment.objects.filter(claim=claim, team_id=claim.team_id).select_related("author")
        return paginated_response(paginate(request, comments, ORDER), comment_json)

    @extend_schema(operation_id="claim_comments_create", request=CommentIn, responses={201: CommentOut})
    def post(self, request: Request, claim_id: int) -> Response:
        who = caller(request)
        claim = who.claim(claim_id)
        data = CommentIn(data=request.data)
        data.is_valid(raise_exception=True)
        comment = comment_add(claim=claim, user=who.acting_user(), body=data.validated_data["body"])
        return Response(comment_json(comment), status=201)
