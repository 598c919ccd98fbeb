"""A claim's verdicts: the history (newest first) and a new draft verdict while the claim is open.

Moving the claim through review (propose, approve, publish, correct) is the workflow's
transitions endpoint; this one records a verdict without changing the claim's status.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.filters import LIST_PARAMETERS, filter_verdicts
from annotations.api.pagination import Key, paginate, paginated_rows_response
from annotations.api.permissions import caller
from annotations.api.serializers.claim_json import verdict_json_by_id, verdict_rows, verdicts_json
from annotations.api.serializers.claims import VerdictCreateIn, VerdictOut, VerdictPageOut
from annotations.api.serializers.common import ErrorOut
from annotations.errors import Conflict, InvalidInput
from annotations.models import Rating, Verdict
from annotations.selectors.workflow import OPEN_STATUSES
from annotations.services.verdicts import verdict_propose

ORDER = [Key("created_at", descending=True, kind="datetime"), Key("id", descending=True)]


class ClaimVerdictList(APIView):
    @extend_schema(operation_id="claim_verdicts_list", parameters=LIST_PARAMETERS, responses=VerdictPageOut)
    def get(self, request: Request, claim_id: int) -> Response:
        claim = caller(request).claim(claim_id)
        verdicts = filter_verdicts(request, Verdict.objects.filter(claim=claim, team_id=claim.team_id))
        page = paginate(request, verdict_rows(verdicts), ORDER)
        return paginated_rows_response(page, verdicts_json)

    @extend_schema(
        operation_id="claim_verdicts_create",
        request=VerdictCreateIn,
        responses={201: VerdictOut, 400: ErrorOut, 409: ErrorOut},
    )
    def post(self, request: Request, claim_id: int) -> Response:
        who = caller(request)
        claim = who.claim(claim_id)
        data = VerdictCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        if claim.status not in OPEN_STATUSES:
            raise Conflict(
                "The claim is past research: use its transitions (request changes, or correct a published verdict)."
            )
        rating = Rating.objects.select_related("scale").filter(pk=data.validated_data["rating"]).first()
        if rating is None or rating.scale.team_id != claim.team_id:
            raise InvalidInput("The rating is not on this team's scale.", field="rating")
        verdict = verdict_propose(
            claim=claim,
            user=who.acting_user(),
            rating=rating,
            summary=data.validated_data["summary"],
            rationale=data.validated_data.get("rationale", ""),
        )
        return Response(verdict_json_by_id(verdict.pk), status=201)
