"""API credentials over the API: one's personal tokens, and a team's read-only keys (admins).

The plaintext token is in the creation response only.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.access import require_role
from annotations.api.pagination import Key, page_parameters, paginate, paginated_response
from annotations.api.permissions import caller
from annotations.api.serializers.common import Input, TextIn, page_of
from annotations.errors import NotAllowed
from annotations.models import ApiToken, Role, TokenKind
from annotations.services.api_keys import api_token_create, api_token_revoke, team_api_key_create

ORDER = [Key("created_at", descending=True, kind="datetime"), Key("id", descending=True)]


def token_json(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "kind": token.kind,
        "name": token.name,
        "team": token.team_id,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


class TokenOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TokenKind.choices)
    name = serializers.CharField()
    team = serializers.IntegerField(allow_null=True)
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class IssuedTokenOut(TokenOut):
    token = serializers.CharField(help_text="The token itself. Shown only in this response.")


class TokenIn(Input):
    name = TextIn(max_length=100)


class TokenList(APIView):
    policy = {"GET": "token.manage", "POST": "token.manage"}

    @extend_schema(
        operation_id="tokens_list", parameters=page_parameters(ORDER), responses=page_of(TokenOut, "TokenPage")
    )
    def get(self, request: Request) -> Response:
        tokens = ApiToken.objects.filter(kind=TokenKind.PERSONAL, user=caller(request).acting_user())
        return paginated_response(paginate(request, tokens, ORDER), token_json)

    @extend_schema(operation_id="tokens_create", request=TokenIn, responses={201: IssuedTokenOut})
    def post(self, request: Request) -> Response:
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        issued = api_token_create(user=caller(request).acting_user(), name=data.validated_data["name"])
        return Response({**token_json(issued.token), "token": issued.plaintext}, status=201)


class TokenDetail(APIView):
    policy = {"DELETE": "token.manage"}

    @extend_schema(operation_id="tokens_revoke", responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        who = caller(request)
        user = who.acting_user()
        token = ApiToken.objects.filter(pk=token_id, kind=TokenKind.PERSONAL, user=user).first()
        if token is None:
            token = ApiToken.objects.filter(pk=token_id, kind=TokenKind.TEAM_READ, team__in=who.team_ids()).first()
        if token is None:
            raise Http404("No such token.")
        api_token_revoke(token=token, user=user)
        return Response(status=204)


class TeamKeyList(APIView):
    policy = {"GET": "team_key.manage", "POST": "team_key.manage"}

    @extend_schema(
        operation_id="team_api_keys_list", parameters=page_parameters(ORDER), responses=page_of(TokenOut, "ApiKeyPage")
    )
    def get(self, request: Request, team_id: int) -> Response:
        who = caller(request)
        team = who.team(team_id)
        membership = who.membership(team.pk)
        if membership is None:
            raise NotAllowed("Only the team's admins can see its API keys.")
        require_role(membership, Role.ADMIN)
        keys = ApiToken.objects.filter(kind=TokenKind.TEAM_READ, team=team)
        return paginated_response(paginate(request, keys, ORDER), token_json)

    @extend_schema(operation_id="team_api_keys_create", request=TokenIn, responses={201: IssuedTokenOut})
    def post(self, request: Request, team_id: int) -> Response:
        who = caller(request)
        team = who.team(team_id)
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        issued = team_api_key_create(team=team, user=who.acting_user(), name=data.validated_data["name"])
        return Response({**token_json(issued.token), "token": issued.plaintext}, status=201)
