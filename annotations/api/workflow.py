"""The review workflow over the API: lifecycle transitions, review queues, similar claims.

Thin views: each validates its input, calls one service or selector and shapes the answer.
Service errors propagate to annotations.api.errors' handler: {"error": {...}} with 400/403/409,
and a stale version's 409 carries "current" and "last_change".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy
from annotations.api.errors import PreconditionRequired
from annotations.api.filters import ASSIGNEE
from annotations.api.schema import ETAG
from annotations.api.serializers.claim_json import claims_raw_json
from annotations.api.serializers.claims import ClaimOut
from annotations.api.serializers.common import (
    MAX_ID,
    ChoiceIn,
    DateIn,
    ErrorOut,
    Input,
    TextIn,
    id_in,
    query_integer,
    version_in,
)
from annotations.api.versions import claim_written, with_version
from annotations.errors import InvalidInput
from annotations.models import ClaimStatus, Priority, Rating, Team
from annotations.selectors.queues import MAX_PAGE_SIZE, PAGE_SIZE, QUEUES, SORTS, QueueFilters, queue_page
from annotations.selectors.workflow import TRANSITIONS, transitions_allowed
from annotations.services.workflow import (
    claim_transition,
    claims_bulk_assign,
)
from annotations.services.workflow.locking import member_of


def _team_object(model: type[Model], team: Team, pk: Any, field: str, **lookup: Any) -> Any:
    if pk in (None, ""):
        return None
    try:
        return model._default_manager.get(pk=int(pk), **lookup)
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise InvalidInput(f"No such {field} in this team.", field=field) from exc


# --- Transitions -------------------------------------------------------------------------------


# The fields a lifecycle step may ask for (TRANSITIONS[action].needs), as its body takes them.
STEP_FIELDS: dict[str, Any] = {
    "assignee": lambda: id_in(help_text="The member to assign."),
    "rating": lambda: id_in(help_text="A rating of the team's scale."),
    "summary": lambda: TextIn(max_length=20_000),
    "rationale": lambda: TextIn(required=False, allow_blank=True, max_length=100_000),
    "note": lambda: TextIn(max_length=20_000),
    "reason": lambda: TextIn(max_length=20_000),
}
STEP_VERSION_HELP = 'The claim\'s version you read (or send it as `If-Match: "<version>"` instead).'


def _step_input(action: str) -> type[Input]:
    """The body of one lifecycle step: its action, the version read, and the fields the step needs."""
    fields = {
        "action": ChoiceIn(choices=[action]),
        "version": version_in(help_text=STEP_VERSION_HELP),
        **{name: STEP_FIELDS[name]() for name in TRANSITIONS[action].needs},
    }
    name = "Step" + "".join(part.title() for part in action.split("_")) + "In"
    return type(name, (Input,), {**fields, "__doc__": f"{TRANSITIONS[action].label}."})


STEP_INPUTS = {action: _step_input(action) for action in TRANSITIONS}


class StepIn(Input):
    action = ChoiceIn(choices=list(TRANSITIONS))


STEPS: dict[str, type[serializers.Serializer[Any]] | serializers.Serializer[Any]] = dict(STEP_INPUTS)
TransitionInput = PolymorphicProxySerializer(
    component_name="TransitionIn", serializers=STEPS, resource_type_field_name="action"
)


def step_input(data: Any) -> Input:
    """The input serializer of the step the body names (only `action` checked when it names none)."""
    action = data.get("action") if isinstance(data, Mapping) else None
    step = STEP_INPUTS.get(action) if isinstance(action, str) else None
    return (step or StepIn)(data=data)


class TransitionOut(serializers.Serializer[dict[str, Any]]):
    action = serializers.ChoiceField(choices=list(TRANSITIONS))
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    needs = serializers.ListField(child=serializers.CharField(), help_text="The fields this step asks for.")


class TransitionsOut(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    version = serializers.IntegerField()
    allowed = TransitionOut(many=True, help_text="The steps the caller may take now.")


class ClaimTransitions(APIView):
    """GET: the transitions the caller may take now. POST: take one; answers the claim JSON."""

    policy = {"GET": "claim.read", "POST": "claim.transition"}

    @extend_schema(responses=TransitionsOut)
    def get(self, request: Request, claim_id: int) -> Response:
        claim = policy.claim_for(request, claim_id)
        membership = member_of(claim=claim, user=request.user)
        return Response(
            {
                "status": claim.status,
                "version": claim.version,
                "allowed": [
                    {"action": t.action, "label": t.label, "needs": list(t.needs)}
                    for t in transitions_allowed(claim=claim, membership=membership)
                ],
            }
        )

    @extend_schema(request=TransitionInput, responses=ClaimOut, extensions=ETAG)
    def post(self, request: Request, claim_id: int) -> Response:
        claim = policy.claim_for(request, claim_id)
        data = step_input(with_version(request))
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        action = fields.pop("action")
        version = fields.pop("version")
        assert isinstance(request.user, User)
        if "assignee" in fields:
            fields["assignee"] = _team_object(
                User, claim.team, fields["assignee"], "assignee", memberships__team_id=claim.team_id
            )
        if "rating" in fields:
            fields["rating"] = _team_object(
                Rating, claim.team, fields["rating"], "rating", scale__team_id=claim.team_id
            )
        user = request.user
        return claim_written(lambda: claim_transition(claim=claim, user=user, action=action, version=version, **fields))


# --- Queues ------------------------------------------------------------------------------------


class QueryInteger(serializers.IntegerField):
    """A whole number in a query string, read as JSON Schema reads numbers (annotations.api.serializers.common)."""

    def to_internal_value(self, data: Any) -> int:
        value = query_integer(str(data), minimum=-MAX_ID, maximum=MAX_ID)
        if value is None:
            self.fail("invalid")
        return super().to_internal_value(value)


class QueueQuery(serializers.Serializer[dict[str, Any]]):
    team = QueryInteger(min_value=1, max_value=MAX_ID)
    queue = serializers.ChoiceField(choices=list(QUEUES), default="mine")
    sort = serializers.ChoiceField(choices=list(SORTS), default="updated")
    cursor = TextIn(required=False, max_length=500, help_text="`next_cursor` of the previous page.")
    limit = QueryInteger(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE)
    article = QueryInteger(required=False, min_value=1, max_value=MAX_ID)
    rating = QueryInteger(required=False, min_value=1, max_value=MAX_ID)
    priority = serializers.ChoiceField(choices=[str(value) for value in Priority.values], required=False)
    due_after = DateIn(required=False)
    due_before = DateIn(required=False)
    q = TextIn(required=False, allow_blank=True, max_length=200)


NO_SUCH_TEAM = OpenApiResponse(ErrorOut, "No such team, or you are not a member of it.")


class QueueOut(serializers.Serializer[dict[str, Any]]):
    queue = serializers.ChoiceField(choices=list(QUEUES))
    sort = serializers.ChoiceField(choices=list(SORTS))
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Claims in each queue.")
    next = serializers.URLField(allow_null=True)
    next_cursor = serializers.CharField(allow_null=True)
    results = ClaimOut(many=True)


class QueueList(APIView):
    """GET /api/v1/queues/?team=<id>&queue=<name>&…: every queue's count and one page of the queue."""

    policy = {"GET": "queue.read"}

    @extend_schema(parameters=[QueueQuery, ASSIGNEE.openapi()], responses={200: QueueOut, 404: NO_SUCH_TEAM})
    def get(self, request: Request) -> Response:
        query = QueueQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        assignee = ASSIGNEE.value(request)
        membership = policy.membership_for(request, team_id=params["team"])
        priority = params.get("priority")
        filters = QueueFilters(
            article=params.get("article"),
            assignee=assignee,
            unassigned=assignee is None and "assignee" in request.query_params,
            rating=params.get("rating"),
            priority=int(priority) if priority is not None else None,
            due_after=params.get("due_after"),
            due_before=params.get("due_before"),
            text=params.get("q") or "",
        )
        page = queue_page(
            team=membership.team,
            user=request.user,
            queue=params["queue"],
            filters=filters,
            sort=params["sort"],
            cursor=params.get("cursor"),
            limit=params["limit"],
        )
        next_url = None
        if page.next_cursor:
            query_params = request.query_params.copy()
            query_params["cursor"] = page.next_cursor
            next_url = request.build_absolute_uri(request.path + "?" + query_params.urlencode())
        return Response(
            {
                "queue": page.queue,
                "sort": page.sort,
                "counts": page.counts,
                "next": next_url,
                "next_cursor": page.next_cursor,
                "results": claims_raw_json(page.claims),
            }
        )


class ClaimVersionInput(Input):
    id = id_in()
    version = version_in()


class BulkAssignInput(Input):
    team = id_in()
    claims = serializers.ListField(
        child=ClaimVersionInput(),
        min_length=1,
        max_length=500,
        help_text="The claims with the version you read: [{id, version}, …].",
    )
    assignee = id_in()


class BulkAssignOut(serializers.Serializer[dict[str, Any]]):
    assigned = serializers.ListField(child=serializers.IntegerField(), help_text="The claims now assigned.")
    skipped = serializers.ListField(child=serializers.IntegerField(), help_text="Claims their state keeps as they are.")
    changed = serializers.ListField(
        child=serializers.IntegerField(), help_text="Claims someone saved after you read them: left as they are."
    )


class QueueBulkAssign(APIView):
    """POST /api/v1/queues/bulk-assign/ {"team", "claims": [{"id", "version"}], "assignee"}.

    Answers {"assigned": [...], "skipped": [...], "changed": [...]}: skipped claims cannot be
    assigned in their state, changed ones were saved by someone after you read them. Without
    versions (`claims` missing, e.g. the older `claim_ids` alone) the answer is 428.
    """

    policy = {"POST": "queue.bulk_assign"}

    @extend_schema(request=BulkAssignInput, responses={200: BulkAssignOut, 404: NO_SUCH_TEAM})
    def post(self, request: Request) -> Response:
        if isinstance(request.data, Mapping) and "claims" not in request.data:
            raise PreconditionRequired('Send the claims with the version you read: "claims": [{"id", "version"}].')
        data = BulkAssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = policy.membership_for(request, team_id=data.validated_data["team"])
        assert isinstance(request.user, User)
        assignee = _team_object(
            User,
            membership.team,
            data.validated_data["assignee"],
            "assignee",
            memberships__team_id=membership.team_id,
        )
        claims = data.validated_data["claims"]
        result = claims_bulk_assign(
            team=membership.team,
            claim_ids=[c["id"] for c in claims],
            versions={c["id"]: c["version"] for c in claims},
            assignee=assignee,
            user=request.user,
        )
        return Response({"assigned": result.assigned, "skipped": result.skipped, "changed": result.changed})


__all__ = ["ClaimTransitions", "QueueBulkAssign", "QueueList"]
