from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from annotations.models import Membership, Rating, RatingScale, Role, Team

# (label, ordinal value, colour); Unproven is not on the ordinal scale.
DEFAULT_RATINGS: tuple[tuple[str, int | None, str], ...] = (
    ("True", 6, "#1a7f37"),
    ("Mostly true", 5, "#4c9a2a"),
    ("Half true", 4, "#b08800"),
    ("Mostly false", 3, "#d4700a"),
    ("False", 2, "#cf222e"),
    ("Pants on fire", 1, "#82071e"),
    ("Unproven", None, "#57606a"),
)


@transaction.atomic
def team_create(*, slug: str, name: str) -> Team:
    """A new team, seeded with the default rating scale."""
    team = Team.objects.create(slug=slug, name=name)
    rating_scale_seed(team=team)
    return team


@transaction.atomic
def rating_scale_seed(*, team: Team) -> RatingScale:
    scale, created = RatingScale.objects.get_or_create(team=team)
    if created:
        Rating.objects.bulk_create(
            Rating(scale=scale, label=label, value=value, color=color, position=position)
            for position, (label, value, color) in enumerate(DEFAULT_RATINGS)
        )
    return scale


@transaction.atomic
def membership_set(*, team: Team, user: User, role: str) -> Membership:
    """Add `user` to `team`, or change their role there."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; expected one of {', '.join(Role.values)}.")
    membership, _ = Membership.objects.update_or_create(team=team, user=user, defaults={"role": role})
    return membership
