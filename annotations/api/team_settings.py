"""Team settings over the API: members and roles, the rating scale, the default due time, the match threshold.

Any member reads them; admins change them (the routes' policy actions say so). Thin views: each
validates its input, calls one service and shapes the answer.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.validators import RegexValidator
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy
from annotations.api.serializers.common import (
    BooleanIn,
    ChoiceIn,
    ErrorOut,
    Input,
    IntegerIn,
    NumberIn,
    ScaleRatingOut,
    TextIn,
    UserOut,
    id_in,
)
from annotations.models import Membership, Rating, Role, Team
from annotations.services.suggestions import team_suggestions_set
from annotations.services.workflow import (
    rating_scale_update,
    team_member_add,
    team_member_remove,
    team_member_set_role,
    team_workflow_update,
)


def _user_ref(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "username": user.get_username()} if user is not None else None


def _member_json(m: Membership) -> dict[str, Any]:
    return {"id": m.pk, "user": _user_ref(m.user), "role": m.role, "created_at": m.created_at.isoformat()}


class MemberInput(Input):
    username = TextIn(max_length=150)
    role = ChoiceIn(choices=Role.choices)


class MemberOut(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    user = UserOut()
    role = serializers.ChoiceField(choices=Role.choices)
    created_at = serializers.DateTimeField()


class MembersOut(serializers.Serializer[dict[str, Any]]):
    results = MemberOut(many=True)


LAST_ADMIN = OpenApiResponse(ErrorOut, "A team keeps at least one admin.")


class TeamMembers(APIView):
    """GET the team's members (any member); POST {"username", "role"} adds one (admin)."""

    policy = {"GET": "member.read", "POST": "member.manage"}

    @extend_schema(responses=MembersOut)
    def get(self, request: Request, team_id: int) -> Response:
        membership = policy.membership_for(request, team_id=team_id)
        members = Membership.objects.filter(team=membership.team).select_related("user").order_by("user__username")
        return Response({"results": [_member_json(m) for m in members]})

    @extend_schema(request=MemberInput, responses={201: MemberOut})
    def post(self, request: Request, team_id: int) -> Response:
        membership = policy.membership_for(request, team_id=team_id)
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        added = team_member_add(team=membership.team, user=request.user, **data.validated_data)
        return Response(_member_json(added), status=status.HTTP_201_CREATED)


class RoleInput(Input):
    role = ChoiceIn(choices=Role.choices)


class TeamMember(APIView):
    """PATCH {"role"} changes a member's role; DELETE removes them (admin; the last admin stays)."""

    policy = {"PATCH": "member.manage", "DELETE": "member.manage"}

    def _member(self, request: Request, team_id: int, member_id: int) -> tuple[Membership, Membership]:
        membership = policy.membership_for(request, team_id=team_id)
        member = Membership.objects.select_related("user").filter(pk=member_id, team_id=team_id).first()
        if member is None:
            raise Http404("No such member.")
        return membership, member

    @extend_schema(request=RoleInput, responses={200: MemberOut, 409: LAST_ADMIN})
    def patch(self, request: Request, team_id: int, member_id: int) -> Response:
        membership, member = self._member(request, team_id, member_id)
        data = RoleInput(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        member = team_member_set_role(
            team=membership.team, user=request.user, membership=member, role=data.validated_data["role"]
        )
        return Response(_member_json(member))

    @extend_schema(responses={204: None, 409: LAST_ADMIN})
    def delete(self, request: Request, team_id: int, member_id: int) -> Response:
        membership, member = self._member(request, team_id, member_id)
        assert isinstance(request.user, User)
        team_member_remove(team=membership.team, user=request.user, membership=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


COLOR = r"^#[0-9a-fA-F]{6}\Z"


class RatingItem(Input):
    id = id_in(required=False, allow_null=True, help_text="A rating on the scale to keep; none for a new one.")
    label = TextIn(max_length=60)  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    value = IntegerIn(required=False, allow_null=True, min_value=-100, max_value=100)
    color = TextIn(max_length=7, validators=[RegexValidator(COLOR, message="Enter a colour as #rrggbb.")])


class RatingScaleInput(Input):
    ratings = serializers.ListField(child=RatingItem(), min_length=1)


class RatingScaleOut(serializers.Serializer[dict[str, Any]]):
    ratings = ScaleRatingOut(many=True, help_text="In display order.")


def _rating_json(r: Rating) -> dict[str, Any]:
    return {"id": r.pk, "label": r.label, "value": r.value, "color": r.color, "position": r.position}


class TeamRatingScale(APIView):
    """GET the scale; PUT {"ratings": [{"id"?, "label", "value", "color"}, …]} in display order (admin)."""

    policy = {"GET": "member.read", "PUT": "rating_scale.manage"}

    @extend_schema(responses=RatingScaleOut)
    def get(self, request: Request, team_id: int) -> Response:
        membership = policy.membership_for(request, team_id=team_id)
        ratings = Rating.objects.filter(scale__team=membership.team).order_by("position")
        return Response({"ratings": [_rating_json(r) for r in ratings]})

    @extend_schema(request=RatingScaleInput, responses=RatingScaleOut)
    def put(self, request: Request, team_id: int) -> Response:
        membership = policy.membership_for(request, team_id=team_id)
        data = RatingScaleInput(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        ratings = rating_scale_update(team=membership.team, user=request.user, ratings=data.validated_data["ratings"])
        return Response({"ratings": [_rating_json(r) for r in ratings]})


class WorkflowSettingsInput(Input):
    default_due_days = IntegerIn(required=False, min_value=1, max_value=365)
    similarity_threshold = NumberIn(
        required=False,
        min_value=0,
        max_value=1,
        help_text='The match score (0–1) an earlier claim needs to be shown under "Already checked?".',
    )
    suggestions_enabled = BooleanIn(
        required=False, help_text="Suggest check-worthy claims in the team's articles (editors change it)."
    )


class WorkflowSettingsOut(serializers.Serializer[dict[str, Any]]):
    default_due_days = serializers.IntegerField()
    similarity_threshold = serializers.FloatField(min_value=0, max_value=1)
    suggestions_enabled = serializers.BooleanField()
    role = serializers.ChoiceField(choices=Role.choices, help_text="The caller's role.")


def _workflow_json(team: Team, membership: Membership) -> dict[str, Any]:
    return {
        "default_due_days": team.default_due_days,
        "similarity_threshold": team.similarity_threshold,
        "suggestions_enabled": team.suggestions_enabled,
        "role": membership.role,
    }


class TeamWorkflowSettings(APIView):
    """GET/PATCH {"default_due_days"?, "similarity_threshold"?}: the days a claim has after assignment and the
    match score "Already checked?" asks of earlier claims (admin changes them)."""

    policy = {"GET": "member.read", "PATCH": "workflow.edit"}

    @extend_schema(responses=WorkflowSettingsOut)
    def get(self, request: Request, team_id: int) -> Response:
        membership = policy.membership_for(request, team_id=team_id)
        return Response(_workflow_json(membership.team, membership))

    @extend_schema(request=WorkflowSettingsInput, responses=WorkflowSettingsOut)
    def patch(self, request: Request, team_id: int) -> Response:
        membership = policy.membership_for(request, team_id=team_id)
        data = WorkflowSettingsInput(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.user, User)
        fields = dict(data.validated_data)
        suggestions_enabled = fields.pop("suggestions_enabled", None)
        with transaction.atomic():
            team = membership.team
            if fields:
                team = team_workflow_update(team=team, user=request.user, **fields)
            if suggestions_enabled is not None:
                team = team_suggestions_set(team=team, user=request.user, enabled=suggestions_enabled)
        return Response(_workflow_json(team, membership))


__all__ = ["TeamMember", "TeamMembers", "TeamRatingScale", "TeamWorkflowSettings"]
