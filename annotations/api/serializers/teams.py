from __future__ import annotations

from typing import Any

from rest_framework import serializers

from annotations.api.serializers.common import ScaleRatingOut
from annotations.models import Role, Team


def team_json(team: Team, *, role: str | None) -> dict[str, Any]:
    ratings = team.rating_scale.ratings.all() if hasattr(team, "rating_scale") else []
    return {
        "id": team.pk,
        "slug": team.slug,
        "name": team.name,
        "default_due_days": team.default_due_days,
        "role": role,
        "rating_scale": [
            {"id": r.pk, "label": r.label, "value": r.value, "color": r.color, "position": r.position}
            for r in sorted(ratings, key=lambda r: r.position)
        ],
    }


class TeamOut(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    default_due_days = serializers.IntegerField()
    role = serializers.ChoiceField(
        choices=Role.choices, allow_null=True, help_text="The caller's role; null for a team API key."
    )
    rating_scale = ScaleRatingOut(many=True)
