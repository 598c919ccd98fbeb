"""Cited sources: add to a claim (queues a fetch), read with the latest snapshot and evidence, re-fetch."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import Key, json_page_response, page_parameters, paginate_json
from annotations.api.permissions import Caller, caller
from annotations.api.serializers.claim_json import SOURCE, json_objects
from annotations.api.serializers.claims import SourceCreateIn, SourceOut, SourcePageOut
from annotations.models import Source
from annotations.services.sources import source_add, source_refetch

ORDER = [Key("created_at", kind="datetime"), Key("id")]


def _sources(who: Caller) -> QuerySet[Source]:
    return Source.objects.filter(team__in=who.team_ids())


def source_for(who: Caller, source_id: int) -> Source:
    source = _sources(who).select_related("team", "claim").filter(pk=source_id).first()
    if source is None:
        raise Http404("No such source.")
    return source


def source_response(who: Caller, source_id: int, *, status: int = 200) -> Response:
    found = json_objects(SOURCE, _sources(who).filter(pk=source_id))
    if not found:
        raise Http404("No such source.")
    return Response(found[0], status=status)


class ClaimSourceList(APIView):
    policy = {"GET": "claim.read", "POST": "source.add"}

    @extend_schema(operation_id="claim_sources_list", parameters=page_parameters(ORDER), responses=SourcePageOut)
    def get(self, request: Request, claim_id: int) -> Response:
        who = caller(request)
        claim = who.claim(claim_id)
        return json_page_response(paginate_json(request, _sources(who).filter(claim=claim), ORDER, SOURCE))

    @extend_schema(operation_id="claim_sources_create", request=SourceCreateIn, responses={201: SourceOut})
    def post(self, request: Request, claim_id: int) -> Response:
        who = caller(request)
        claim = who.claim(claim_id)
        data = SourceCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        source = source_add(claim=claim, user=who.acting_user(), **data.validated_data)
        return source_response(who, source.pk, status=201)


class SourceDetail(APIView):
    policy = {"GET": "claim.read"}

    @extend_schema(operation_id="sources_retrieve", responses=SourceOut)
    def get(self, request: Request, source_id: int) -> Response:
        return source_response(caller(request), source_id)


class SourceRefetch(APIView):
    policy = {"POST": "source.refetch"}

    @extend_schema(operation_id="sources_refetch", request=None, responses={202: SourceOut})
    def post(self, request: Request, source_id: int) -> Response:
        who = caller(request)
        source = source_for(who, source_id)
        source_refetch(source=source, user=who.acting_user())
        return source_response(who, source_id, status=202)
