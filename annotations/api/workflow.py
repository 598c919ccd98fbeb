"""The review workflow over the API: lifecycle transitions, review queues, similar claims, team settings.

Thin views: each validates its input, calls one service or selector and shapes the answer.
Service errors propagate to annotations.api.errors' handler: {"error": {...}} with 400/403/409,
and a stale version's 409 carries "current" and "last_change".
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy
from annotations.api.errors import PreconditionRequired
from annotations.api.serializers.claim_json import claims_json
from annotations.api.versions import claim_written, required_version
from annotations.errors import InvalidInput
from annotations.models import Claim, Membership, Priority, Rating, Role, Team
from annotations.selectors.queues import MAX_PAGE_SIZE, PAGE_SIZE, QUEUES, SORTS, QueueFilters, queue_page
from annotations.selectors.similar import claims_similar
from annotations.selectors.workflow import transitions_allowed
from annotations.services.workflow import (
    claim_link_duplicate,
    claim_transition,
    claims_bulk_assign,
    rating_scale_update,
    team_default_due_days_set,
    team_member_add,
    team_member_remove,
    team_member_set_role,
)
from annotations.services.workflow.locking import member_of


def _user_ref(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "username": user.get_username()} if user is not None else None


def _membership(request: Request, team_id: int) -> Membership:
    """The caller's membership of the team, with the route's action checked; another team is a 404."""
    _, membership = policy.team_for(request, team_id=team_id)
    if membership is None:
        raise Http404("No such team.")
    return membership


def _team_object(model: type[Model], team: Team, pk: Any, field: str, **lookup: Any) -> Any:
    if pk in (None, ""):
        return None
    try:
        return model._default_manager.get(pk=int(pk), **lookup)
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise InvalidInput(f"No such {field} in this team.", field=field) from exc


# --- Transitions -------------------------------------------------------------------------------


class TransitionInput(serializers.Serializer[dict[str, Any]]):
    action = serializers.CharField()
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    assignee = serializers.IntegerField(required=False, allow_null=True)
    rating = serializers.IntegerField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=100_000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class ClaimTransitions(APIView):
    """GET: the transitions the caller may take now. POST: take one; answers the claim JSON."""

    policy = {"GET": "claim.read", "POST": "claim.transition"}

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
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

    @extend_schema(request=TransitionInput, responses={200: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT})
    def post(self, request: Request, claim_id: int) -> Response:
        claim = policy.claim_for(request, claim_id)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        action = fields.pop("action")
        version = required_version(request, fields.pop("version", None))
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


class QueueQuery(serializers.Serializer[dict[str, Any]]):
    team = serializers.IntegerField()
    queue = serializers.ChoiceField(choices=list(QUEUES), default="mine")
    sort = serializers.ChoiceField(choices=list(SORTS), default="updated")
    cursor = serializers.CharField(required=False, max_length=500)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE)
    article = serializers.IntegerField(required=False)
    assignee = serializers.CharField(required=False, help_text='A user id, or "none" for unassigned claims.')
    rating = serializers.IntegerField(required=False)
    priority = serializers.ChoiceField(choices=Priority.values, required=False)
    due_after = serializers.DateField(required=False)
    due_before = serializers.DateField(required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate_assignee(self, value: str) -> str:
        if value != "none" and not value.isdigit():
            raise serializers.ValidationError('Give a user id or "none".')
        return value


class QueueList(APIView):
    """GET /api/v1/queues/?team=<id>&queue=<name>&…: every queue's count and one page of the queue."""

    policy = {"GET": "queue.read"}

    @extend_schema(parameters=[QueueQuery], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        query = QueueQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        membership = _membership(request, params["team"])
        assignee = params.get("assignee") or ""
        filters = QueueFilters(
            article=params.get("article"),
            assignee=int(assignee) if assignee.isdigit() else None,
            unassigned=assignee == "none",
            rating=params.get("rating"),
            priority=params.get("priority"),
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
                "results": claims_json(page.claims),
            }
        )


class ClaimVersionInput(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class BulkAssignInput(serializers.Serializer[dict[str, Any]]):
    team = serializers.IntegerField()
    claims = ClaimVersionInput(
        many=True, required=False, help_text="The claims with the version you read: [{id, version}, …]."
    )
    claim_ids = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=500, required=False, help_text="Without versions."
    )
    assignee = serializers.IntegerField()

    def validate_claims(self, value: list[dict[str, int]]) -> list[dict[str, int]]:
        if not 1 <= len(value) <= 500:
            raise serializers.ValidationError("Select 1 to 500 claims.")
        return value


class QueueBulkAssign(APIView):
    """POST /api/v1/queues/bulk-assign/ {"team", "claims": [{"id", "version"}], "assignee"}.

    Answers {"assigned": [...], "skipped": [...], "changed": [...]}: skipped claims cannot be
    assigned in their state, changed ones were saved by someone after you read them. Without
    versions (only `claim_ids`) the answer is 428.
    """

    policy = {"POST": "queue.bulk_assign"}

    @extend_schema(request=BulkAssignInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = BulkAssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = _membership(request, data.validated_data["team"])
        assert isinstance(request.user, User)
        assignee = _team_object(
            User,
            membership.team,
            data.validated_data["assignee"],
            "assignee",
            memberships__team_id=membership.team_id,
        )
        claims = data.validated_data.get("claims")
        if claims is None:
            raise PreconditionRequired('Send the claims with the version you read: "claims": [{"id", "version"}].')
        result = claims_bulk_assign(
            team=membership.team,
            claim_ids=[c["id"] for c in claims],
            versions={c["id"]: c["version"] for c in claims},
            assignee=assignee,
            user=request.user,
        )
        return Response({"assigned": result.assigned, "skipped": result.skipped, "changed": result.changed})


# --- Already-checked claims ----------------------------------------------------------------------


class LinkInput(serializers.Serializer[dict[str, Any]]):
    earlier = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The earlier, already-checked claim this one repeats."
    )
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="The claim's version you read (or If-Match)."
    )


class ClaimSimilar(APIView):
    """GET: earlier claims of the team similar to this one, with their verdicts. POST {"earlier"}: link one."""

    policy = {"GET": "claim.read", "POST": "claim.link_duplicate"}

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, claim_id: int) -> Response:
        claim = policy.claim_for(request, claim_id)
        found = claims_similar(team=claim.team, text=claim.exact, exclude=claim)
        similarity = {c.pk: round(float(c.similarity), 3) for c in found}  # type: ignore[attr-defined]
        return Response({"results": [{**row, "similarity": similarity[row["id"]]} for row in claims_json(found)]})

    @extend_schema(request=LinkInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, claim_id: int) -> Response:
        claim = policy.claim_for(request, claim_id)
        data = LinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = required_version(request, data.validated_data.get("version"))
        earlier = _team_object(Claim, claim.team, data.validated_data["earlier"], "earlier", team_id=claim.team_id)
        assert isinstance(request.user, User)
        user = request.user
        return claim_written(lambda: claim_link_duplicate(claim=claim, earlier=earlier, user=user, version=version))


# --- Team settings -------------------------------------------------------------------------------


def _member_json(m: Membership) -> dict[str, Any]:
    return {"id": m.pk, "user": _user_ref(m.user), "role": m.role, "created_at": m.created_at.isoformat()}


class MemberInput(serializers.Serializer[dict[str, Any]]):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class TeamMembers(APIView):
    """GET the team's members (any member); POST {"username", "role"} adds one (admin)."""

    policy = {"GET": "member.read", "POST": "member.manage"}

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, team_id: int) -> Response:
        membership = _membership(request, team_id)
        members = Membership.objects.filter(team=membership.team).select_related("user").order_by("user__username")
        return Response({"results": [_member_json(m) for m in members]})

    @extend_schema(request=MemberInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, team_id: int) -> Response:
        membership = _membership(request, team_id)
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        added = team_member_add(team=membership.team, user=request.user, **data.validated_data)
        return Response(_member_json(added), status=status.HTTP_201_CREATED)


class RoleInput(serializers.Serializer[dict[str, Any]]):
    role = serializers.ChoiceField(choices=Role.choices)


class TeamMember(APIView):
    """PATCH {"role"} changes a member's role; DELETE removes them (admin; the last admin stays)."""

    policy = {"PATCH": "member.manage", "DELETE": "member.manage"}

    def _member(self, request: Request, team_id: int, member_id: int) -> tuple[Membership, Membership]:
        membership = _membership(request, team_id)
        member = Membership.objects.select_related("user").filter(pk=member_id, team_id=team_id).first()
        if member is None:
            raise Http404("No such member.")
        return membership, member

    @extend_schema(request=RoleInput, responses={200: OpenApiTypes.OBJECT})
    def patch(self, request: Request, team_id: int, member_id: int) -> Response:
        membership, member = self._member(request, team_id, member_id)
        data = RoleInput(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        member = team_member_set_role(
            team=membership.team, user=request.user, membership=member, role=data.validated_data["role"]
        )
        return Response(_member_json(member))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, team_id: int, member_id: int) -> Response:
        membership, member = self._member(request, team_id, member_id)
        assert isinstance(request.user, User)
        team_member_remove(team=membership.team, user=request.user, membership=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RatingItem(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField(required=False, allow_null=True)
    label = serializers.CharField(max_length=60)  # type: ignore[assignment]
    value = serializers.IntegerField(required=False, allow_null=True, min_value=-100, max_value=100)
    color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", max_length=7)


class RatingScaleInput(serializers.Serializer[dict[str, Any]]):
    ratings = RatingItem(many=True)


def _rating_json(r: Rating) -> dict[str, Any]:
    return {"id": r.pk, "label": r.label, "value": r.value, "color": r.color, "position": r.position}


class TeamRatingScale(APIView):
    """GET the scale; PUT {"ratings": [{"id"?, "label", "value", "color"}, …]} in display order (admin)."""

    policy = {"GET": "member.read", "PUT": "rating_scale.manage"}

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, team_id: int) -> Response:
        membership = _membership(request, team_id)
        ratings = Rating.objects.filter(scale__team=membership.team).order_by("position")
        return Response({"ratings": [_rating_json(r) for r in ratings]})

    @extend_schema(request=RatingScaleInput, responses={200: OpenApiTypes.OBJECT})
    def put(self, request: Request, team_id: int) -> Response:
        membership = _membership(request, team_id)
        data = RatingScaleInput(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        ratings = rating_scale_update(team=membership.team, user=request.user, ratings=data.validated_data["ratings"])
        return Response({"ratings": [_rating_json(r) for r in ratings]})


class DueDaysInput(serializers.Serializer[dict[str, Any]]):
    default_due_days = serializers.IntegerField(min_value=1, max_value=365)


class TeamWorkflowSettings(APIView):
    """GET/PATCH {"default_due_days"}: the days a claim has after assignment (admin changes it)."""

    policy = {"GET": "member.read", "PATCH": "workflow.manage"}

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, team_id: int) -> Response:
        membership = _membership(request, team_id)
        return Response({"default_due_days": membership.team.default_due_days, "role": membership.role})

    @extend_schema(request=DueDaysInput, responses={200: OpenApiTypes.OBJECT})
    def patch(self, request: Request, team_id: int) -> Response:
        membership = _membership(request, team_id)
        data = DueDaysInput(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        team = team_default_due_days_set(
            team=membership.team, user=request.user, days=data.validated_data["default_due_days"]
        )
        return Response({"default_due_days": team.default_due_days, "role": membership.role})


__all__ = [
    "ClaimSimilar",
    "ClaimTransitions",
    "QueueBulkAssign",
    "QueueList",
    "TeamMember",
    "TeamMembers",
    "TeamRatingScale",
    "TeamWorkflowSettings",
]
