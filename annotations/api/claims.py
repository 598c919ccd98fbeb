"""Claims: an article's claims (list, create by selectors or by quote), the team-wide list, one claim.

A claim's ETag is its version: PATCH and DELETE must send it back (`version` or If-Match; 428
without it) and a stale one is refused with 409, the claim as it is now and the other person's change.
A span is created with the revision its offsets count in (see annotations.services.claims).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.filters import TEAM, filter_claims, list_parameters
from annotations.api.pagination import Key, json_page_response, paginate_json
from annotations.api.permissions import caller
from annotations.api.schema import ETAG, IF_MATCH
from annotations.api.serializers.claim_json import CLAIM, claim_json_by_id
from annotations.api.serializers.claims import (
    ClaimCreateIn,
    ClaimOut,
    ClaimPageOut,
    ClaimUpdateIn,
    RevisionConflictOut,
    claim_create_input,
)
from annotations.api.versions import claim_written, required_version, with_version
from annotations.errors import InvalidInput
from annotations.models import Claim
from annotations.services.claims import claim_create
from annotations.services.workflow import claim_delete, claim_update

# Document order, orphans (no position) last: read from the index claim_document_order.
ARTICLE_ORDER = [Key("document_order"), Key("id")]
TEAM_ORDER = [Key("updated_at", descending=True, kind="datetime"), Key("id", descending=True)]

WORDING = frozenset({"restated", "claimant", "claimant_kind", "claim_date"})
PLANNING = frozenset({"priority", "due_at", "assignee"})


def claim_response(claim_id: int, *, status: int = 200) -> Response:
    claim = claim_json_by_id(claim_id)
    if claim is None:
        raise Http404("No such claim.")
    return Response(claim, status=status, headers={"ETag": f'"{claim["version"]}"'})


class ArticleClaimList(APIView):
    policy = {"GET": "claim.read", "POST": "claim.create"}

    @extend_schema(
        operation_id="article_claims_list", parameters=list_parameters(ARTICLE_ORDER), responses=ClaimPageOut
    )
    def get(self, request: Request, article_id: int) -> Response:
        who = caller(request)
        claims = filter_claims(request, Claim.objects.filter(article_id=article_id, team__in=who.team_ids()))
        page = paginate_json(request, claims, ARTICLE_ORDER, CLAIM)
        if not page.rows:
            who.article(article_id)  # an empty page: 404 unless the article is there to be seen
        return json_page_response(page)

    @extend_schema(
        operation_id="article_claims_create",
        request=ClaimCreateIn,
        responses={
            201: ClaimOut,
            409: OpenApiResponse(RevisionConflictOut, "The span cannot be placed exactly on the text now."),
        },
        extensions=ETAG,
    )
    def post(self, request: Request, article_id: int) -> Response:
        who = caller(request)
        article = who.article(article_id)
        data = claim_create_input(request.data)
        data.is_valid(raise_exception=True)
        return claim_written(
            lambda: claim_create(article=article, user=who.acting_user(), **data.validated_data), status=201
        )


class ClaimList(APIView):
    policy = {"GET": "claim.read"}

    @extend_schema(operation_id="claims_list", parameters=list_parameters(TEAM_ORDER, TEAM), responses=ClaimPageOut)
    def get(self, request: Request) -> Response:
        who = caller(request)
        claims = Claim.objects.filter(team__in=who.team_ids())
        team = TEAM.value(request)
        if team is not None:
            claims = claims.filter(team_id=team)
        return json_page_response(paginate_json(request, filter_claims(request, claims), TEAM_ORDER, CLAIM))


class ClaimDetail(APIView):
    policy = {"GET": "claim.read", "PATCH": "claim.edit", "DELETE": "claim.delete"}

    @extend_schema(operation_id="claims_retrieve", responses=ClaimOut, extensions=ETAG)
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        return claim_response(claim.pk)

    @extend_schema(operation_id="claims_partial_update", request=ClaimUpdateIn, responses=ClaimOut, extensions=ETAG)
    def patch(self, request: Request, claim_id: int) -> Response:
        who = caller(request)
        claim = who.claim(claim_id)
        data = ClaimUpdateIn(data=with_version(request))
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = dict(data.validated_data)
        version = fields.pop("version")
        if WORDING & set(fields):
            who.claim(claim_id, action="claim.edit_wording")
        if PLANNING & set(fields):
            who.claim(claim_id, action="claim.plan")
        if "assignee" in fields and fields["assignee"] is not None:
            assignee = User.objects.filter(pk=fields["assignee"]).first()
            if assignee is None:
                raise InvalidInput("The assignee must be a member of the team.", field="assignee")
            fields["assignee"] = assignee
        return claim_written(lambda: claim_update(claim=claim, user=who.acting_user(), version=version, **fields))

    @extend_schema(operation_id="claims_destroy", parameters=[IF_MATCH], responses={204: None})
    def delete(self, request: Request, claim_id: int) -> Response:
        who = caller(request)
        claim = who.claim(claim_id)
        claim_delete(claim=claim, user=who.acting_user(), version=required_version(request))
        return Response(status=204)


def article_claims(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """An article's claims in document order (orphans last)."""
    return claims.order_by("document_order", "id")
