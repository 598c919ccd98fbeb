"""Teams the caller belongs to (a team key sees its own team), with the rating scale and the caller's role."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import Key, page_parameters, paginate, paginated_response
from annotations.api.permissions import Caller, caller
from annotations.api.serializers.common import page_of
from annotations.api.serializers.teams import TeamOut, team_json
from annotations.models import Membership, Rating, Team

ORDER = [Key("id")]


def _teams(who: Caller) -> QuerySet[Team]:
    return (
        Team.objects.filter(pk__in=who.team_ids())
        .select_related("rating_scale")
        .prefetch_related(Prefetch("rating_scale__ratings", queryset=Rating.objects.order_by("position")))
    )


def _roles(who: Caller) -> dict[int, str]:
    if who.user is None:
        return {}
    return dict(Membership.objects.filter(user=who.user).values_list("team_id", "role"))


class TeamList(APIView):
    policy = {"GET": "team.read"}

    @extend_schema(operation_id="teams_list", parameters=page_parameters(ORDER), responses=page_of(TeamOut, "TeamPage"))
    def get(self, request: Request) -> Response:
        who = caller(request)
        page = paginate(request, _teams(who), ORDER)
        roles = _roles(who)
        return paginated_response(page, lambda team: team_json(team, role=roles.get(team.pk)))


class TeamDetail(APIView):
    policy = {"GET": "team.read"}

    @extend_schema(operation_id="teams_retrieve", responses=TeamOut)
    def get(self, request: Request, team_id: int) -> Response:
        who = caller(request)
        team = _teams(who).filter(pk=team_id).first()
        if team is None:
            raise Http404("No such team.")
        return Response(team_json(team, role=_roles(who).get(team.pk)))
