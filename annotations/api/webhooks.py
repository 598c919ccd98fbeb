"""A team's webhook endpoints (admins) and each endpoint's delivery log."""

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
from annotations.api.permissions import Caller, caller
from annotations.api.serializers.common import ChoiceIn, Input, page_of, url_in
from annotations.errors import NotAllowed
from annotations.models import DeliveryStatus, Role, WebhookDelivery, WebhookEndpoint, WebhookEvent
from annotations.services.webhooks import webhook_endpoint_create, webhook_endpoint_delete

ORDER = [Key("id")]
DELIVERY_ORDER = [Key("created_at", descending=True, kind="datetime"), Key("id", descending=True)]


def endpoint_json(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.pk,
        "team": endpoint.team_id,
        "url": endpoint.url,
        "events": list(endpoint.events),
        "is_active": endpoint.is_active,
        "created_at": endpoint.created_at,
    }


def delivery_json(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "event": delivery.event,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "response_status": delivery.response_status,
        "error": delivery.error,
        "payload": delivery.payload,
        "created_at": delivery.created_at,
        "delivered_at": delivery.delivered_at,
    }


class EndpointOut(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.IntegerField()
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class CreatedEndpointOut(EndpointOut):
    secret = serializers.CharField(help_text="Signs deliveries (HMAC-SHA256). Shown only in this response.")


class EndpointIn(Input):
    url = url_in(https_only=True)
    events = serializers.ListField(child=ChoiceIn(choices=WebhookEvent.choices), min_length=1)


class DeliveryOut(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.ChoiceField(choices=WebhookEvent.choices)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempts = serializers.IntegerField()
    response_status = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    payload = serializers.DictField()
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)


def _require_admin(who: Caller, team_id: int) -> None:
    membership = who.membership(team_id)
    if membership is None:
        raise NotAllowed("Only the team's admins can manage its webhooks.")
    require_role(membership, Role.ADMIN)


def _endpoint(who: Caller, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_related("team").filter(pk=endpoint_id, team__in=who.team_ids()).first()
    if endpoint is None:
        raise Http404("No such webhook endpoint.")
    _require_admin(who, endpoint.team_id)
    return endpoint


class EndpointList(APIView):
    policy = {"GET": "webhook.manage", "POST": "webhook.manage"}

    @extend_schema(
        operation_id="team_webhooks_list",
        parameters=page_parameters(ORDER),
        responses=page_of(EndpointOut, "WebhookPage"),
    )
    def get(self, request: Request, team_id: int) -> Response:
        who = caller(request)
        team = who.team(team_id)
        _require_admin(who, team.pk)
        endpoints = WebhookEndpoint.objects.filter(team=team)
        return paginated_response(paginate(request, endpoints, ORDER), endpoint_json)

    @extend_schema(operation_id="team_webhooks_create", request=EndpointIn, responses={201: CreatedEndpointOut})
    def post(self, request: Request, team_id: int) -> Response:
        who = caller(request)
        team = who.team(team_id)
        data = EndpointIn(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_create(team=team, user=who.acting_user(), **data.validated_data)
        return Response({**endpoint_json(endpoint), "secret": endpoint.secret}, status=201)


class EndpointDetail(APIView):
    policy = {"GET": "webhook.manage", "DELETE": "webhook.manage"}

    @extend_schema(operation_id="webhooks_retrieve", responses=EndpointOut)
    def get(self, request: Request, endpoint_id: int) -> Response:
        return Response(endpoint_json(_endpoint(caller(request), endpoint_id)))

    @extend_schema(operation_id="webhooks_destroy", responses={204: None})
    def delete(self, request: Request, endpoint_id: int) -> Response:
        who = caller(request)
        webhook_endpoint_delete(endpoint=_endpoint(who, endpoint_id), user=who.acting_user())
        return Response(status=204)


class DeliveryList(APIView):
    policy = {"GET": "webhook.manage"}

    @extend_schema(
        operation_id="webhook_deliveries_list",
        parameters=page_parameters(DELIVERY_ORDER),
        responses=page_of(DeliveryOut, "DeliveryPage"),
    )
    def get(self, request: Request, endpoint_id: int) -> Response:
        endpoint = _endpoint(caller(request), endpoint_id)
        deliveries = WebhookDelivery.objects.filter(endpoint=endpoint, team_id=endpoint.team_id)
        return paginated_response(paginate(request, deliveries, DELIVERY_ORDER), delivery_json)
