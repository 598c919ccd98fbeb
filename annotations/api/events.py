"""A claim's audit timeline: who did what and when, oldest first."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import Key, page_parameters, paginate, paginated_response
from annotations.api.permissions import caller
from annotations.api.serializers.common import page_of
from annotations.api.serializers.discussion import EventOut, event_json
from annotations.models import AuditEvent

ORDER = [Key("created_at", kind="datetime"), Key("id")]


class ClaimEventList(APIView):
    policy = {"GET": "claim.read"}

    @extend_schema(
        operation_id="claim_events_list", parameters=page_parameters(ORDER), responses=page_of(EventOut, "EventPage")
    )
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        events = AuditEvent.objects.filter(claim=claim, team_id=claim.team_id).select_related("actor")
        return paginated_response(paginate(request, events, ORDER), event_json)
