"""A claim's verdicts: the history (newest first) and a new draft verdict while the claim is open.

Moving the claim through review (propose, approve, publish; for a published verdict, propose a
correction or retract it) is the workflow's transitions endpoint; this one records a verdict
without changing the claim's status, and only while the claim is open.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.filters import filter_verdicts, list_parameters
from annotations.api.pagination import Key, json_page_response, paginate_json
from annotations.api.permissions import caller
from annotations.api.schema import ETAG
from annotations.api.serializers.claim_json import VERDICT, verdict_json_by_id
from annotations.api.serializers.claims import VerdictCreateIn, VerdictOut, VerdictPageOut
from annotations.api.versions import with_version
from annotations.errors import InvalidInput
from annotations.models import Rating, Verdict
from annotations.services.claims import claim_verdict_draft

ORDER = [Key("created_at", descending=True, kind="datetime"), Key("id", descending=True)]


class ClaimVerdictList(APIView):
    policy = {"GET": "claim.read", "POST": "verdict.draft"}

    @extend_schema(operation_id="claim_verdicts_list", parameters=list_parameters(ORDER), responses=VerdictPageOut)
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        verdicts = filter_verdicts(request, Verdict.objects.filter(claim=claim, team_id=claim.team_id))
        return json_page_response(paginate_json(request, verdicts, ORDER, VERDICT))

    @extend_schema(
        operation_id="claim_verdicts_create", request=VerdictCreateIn, responses={201: VerdictOut}, extensions=ETAG
    )
    def post(self, request: Request, claim_id: int) -> Response:
        who = caller(request)
        claim = who.claim(claim_id)
        data = VerdictCreateIn(data=with_version(request))
        data.is_valid(raise_exception=True)
        version = data.validated_data["version"]
        rating = Rating.objects.select_related("scale").filter(pk=data.validated_data["rating"]).first()
        if rating is None or rating.scale.team_id != claim.team_id:
            raise InvalidInput("The rating is not on this team's scale.", field="rating")
        with transaction.atomic():
            claim = claim_verdict_draft(
                claim=claim,
                user=who.acting_user(),
                version=version,
                rating=rating,
                summary=data.validated_data["summary"],
                rationale=data.validated_data.get("rationale", ""),
            )
            verdict = Verdict.objects.filter(claim=claim, is_current=True).values_list("pk", flat=True).get()
            body = verdict_json_by_id(verdict)
        return Response(body, status=201, headers={"ETag": f'"{claim.version}"'})
