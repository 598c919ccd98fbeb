"""A team admin's settings: members and their roles, the rating scale, the default time to a claim's due date,
the match score "Already checked?" asks of earlier claims, and the public profile (the name, address and logo
its public fact-check pages and ClaimReview show).

Every change needs the admin role and is audited. A team never loses its last admin: the admin
rows are locked while the change is checked, so two admins demoting each other at once cannot
both succeed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypedDict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from annotations.access import require_role
from annotations.errors import Conflict, InvalidInput, NotAllowed
from annotations.models import Membership, Rating, RatingScale, Role, Team, Verdict
from annotations.services.audit import audit_record

MAX_DUE_DAYS = 365
MIN_SIMILARITY_THRESHOLD = 0.0
MAX_SIMILARITY_THRESHOLD = 1.0
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_PUBLIC_NAME = 200
MAX_PUBLIC_URL = 2000
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def _require_admin(*, team: Team, user: User | AnonymousUser | None) -> Membership:
    membership = None
    if user is not None and user.is_authenticated:
        membership = Membership.objects.filter(team=team, user=user).first()
    if membership is None:
        raise NotAllowed("Only members of the team can change its settings.")
    require_role(membership, Role.ADMIN)
    return membership


def _check_role(role: str) -> Role:
    if role not in Role.values:
        raise InvalidInput(f"Choose one of: {', '.join(Role.values)}.", field="role")
    return Role(role)


def _keeps_an_admin(*, team: Team, leaving: Membership) -> None:
    """Raise Conflict if `leaving` is the team's last admin. Locks the team's admin rows."""
    admins = list(
        Membership.objects.select_for_update().filter(team=team, role=Role.ADMIN).values_list("pk", flat=True)
    )
    if leaving.role == Role.ADMIN and set(admins) <= {leaving.pk}:
        raise Conflict("A team needs at least one admin: make someone else an admin first.", field="role")


@transaction.atomic
def team_member_add(*, team: Team, user: User, username: str, role: str) -> Membership:
    """Add an existing user to the team with `role`."""
    _require_admin(team=team, user=user)
    role = _check_role(role)
    try:
        member = get_user_model().objects.get(username=username.strip())
    except get_user_model().DoesNotExist as exc:
        raise InvalidInput(f"There is no user called {username.strip()!r}.", field="username") from exc
    if Membership.objects.filter(team=team, user=member).exists():
        raise InvalidInput(f"{member.get_username()} is already a member.", field="username")
    membership = Membership.objects.create(team=team, user=member, role=role)
    audit_record(team=team, actor=user, action="member.add", target=membership, after={"user": member.pk, "role": role})
    return membership


@transaction.atomic
def team_member_set_role(*, team: Team, user: User, membership: Membership, role: str) -> Membership:
    _require_admin(team=team, user=user)
    role = _check_role(role)
    membership = Membership.objects.select_for_update().get(pk=membership.pk, team=team)
    if membership.role == role:
        return membership
    if role != Role.ADMIN:
        _keeps_an_admin(team=team, leaving=membership)
    before = {"role": membership.role}
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(team=team, actor=user, action="member.role", target=membership, before=before, after={"role": role})
    return membership


@transaction.atomic
def team_member_remove(*, team: Team, user: User, membership: Membership) -> None:
    _require_admin(team=team, user=user)
    membership = Membership.objects.select_for_update().get(pk=membership.pk, team=team)
    _keeps_an_admin(team=team, leaving=membership)
    audit_record(
        team=team,
        actor=user,
        action="member.remove",
        target=membership,
        before={"user": membership.user_id, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def team_default_due_days_set(*, team: Team, user: User, days: int) -> Team:
    """How many days a claim has, from assignment, before it is due."""
    _require_admin(team=team, user=user)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DUE_DAYS:
        raise InvalidInput(f"Enter a number of days from 1 to {MAX_DUE_DAYS}.", field="default_due_days")
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.default_due_days != days:
        before = {"default_due_days": team.default_due_days}
        team.default_due_days = days
        team.save(update_fields=["default_due_days"])
        audit_record(
            team=team, actor=user, action="team.due_days", target=team, before=before, after={"default_due_days": days}
        )
    return team


@transaction.atomic
def team_similarity_threshold_set(*, team: Team, user: User, threshold: float) -> Team:
    """The match score (0–1) an earlier claim needs to be offered under "Already checked?"."""
    _require_admin(team=team, user=user)
    if (
        not isinstance(threshold, int | float)
        or isinstance(threshold, bool)
        or not MIN_SIMILARITY_THRESHOLD <= threshold <= MAX_SIMILARITY_THRESHOLD
    ):
        raise InvalidInput("Enter a match score from 0 to 1.", field="similarity_threshold")
    threshold = float(threshold)
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.similarity_threshold != threshold:
        before = {"similarity_threshold": team.similarity_threshold}
        team.similarity_threshold = threshold
        team.save(update_fields=["similarity_threshold"])
        audit_record(
            team=team,
            actor=user,
            action="team.similarity_threshold",
            target=team,
            before=before,
            after={"similarity_threshold": threshold},
        )
    return team


@transaction.atomic
def team_workflow_update(
    *, team: Team, user: User, default_due_days: int | None = None, similarity_threshold: float | None = None
) -> Team:
    """Change the given workflow settings together: all of them or, on bad input, none."""
    _require_admin(team=team, user=user)
    if default_due_days is not None:
        team = team_default_due_days_set(team=team, user=user, days=default_due_days)
    if similarity_threshold is not None:
        team = team_similarity_threshold_set(team=team, user=user, threshold=similarity_threshold)
    return team


def _web_address(value: str, *, field: str, what: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        if len(value) > MAX_PUBLIC_URL:
            raise ValidationError("too long")
        _WEB_ADDRESS(value)
    except ValidationError as exc:
        raise InvalidInput(
            f"Enter the {what} as a full http:// or https:// address of at most {MAX_PUBLIC_URL} characters.",
            field=field,
        ) from exc
    return value


@transaction.atomic
def team_public_profile_set(*, team: Team, user: User, public_name: str, public_url: str, logo_url: str) -> Team:
    """The name, address and logo that the team's public fact-check pages and its ClaimReview `author` show.

    Each may be empty: the name is then the team's own, the address its public index page, and
    there is no logo.
    """
    _require_admin(team=team, user=user)
    name = " ".join(public_name.split())
    if len(name) > MAX_PUBLIC_NAME:
        raise InvalidInput(f"Enter a public name of at most {MAX_PUBLIC_NAME} characters.", field="public_name")
    after = {
        "public_name": name,
        "public_url": _web_address(public_url, field="public_url", what="public address"),
        "logo_url": _web_address(logo_url, field="logo_url", what="logo's address"),
    }
    team = Team.objects.select_for_update().get(pk=team.pk)
    before = {key: getattr(team, key) for key in after}
    if before != after:
        for key, value in after.items():
            setattr(team, key, value)
        team.save(update_fields=list(after))
        audit_record(team=team, actor=user, action="team.public_profile", target=team, before=before, after=after)
    return team


class RatingInput(TypedDict, total=False):
    id: int | None
    label: str
    value: int | None
    color: str


@transaction.atomic
def rating_scale_update(*, team: Team, user: User, ratings: Sequence[RatingInput]) -> list[Rating]:
    """Replace the team's rating scale with `ratings`, in display order.

    An item with an `id` edits that rating (label, value, colour); one without adds a rating.
    A rating left out is removed, unless verdicts use it (then InvalidInput: verdicts keep their
    rating). Labels and values must stay unique on the scale.
    """
    _require_admin(team=team, user=user)
    scale, _ = RatingScale.objects.select_for_update().get_or_create(team=team)
    existing = {r.pk: r for r in Rating.objects.select_for_update().filter(scale=scale)}
    if not ratings:
        raise InvalidInput("A rating scale needs at least one rating.", field="ratings")
    cleaned: list[dict[str, Any]] = []
    labels: set[str] = set()
    values: set[int] = set()
    for index, item in enumerate(ratings):
        label = str(item.get("label") or "").strip()
        color = str(item.get("color") or "").strip()
        value = item.get("value")
        rating_id = item.get("id")
        where = f"ratings.{index}"
        if not label or len(label) > 60:
            raise InvalidInput(f"Rating {index + 1}: enter a label of at most 60 characters.", field=f"{where}.label")
        if label.casefold() in labels:
            raise InvalidInput(f"Rating {index + 1}: the label {label!r} is used twice.", field=f"{where}.label")
        labels.add(label.casefold())
        if not COLOR.match(color):
            raise InvalidInput(f"Rating {index + 1}: enter a colour as #rrggbb.", field=f"{where}.color")
        if value is not None:
            if not isinstance(value, int) or isinstance(value, bool) or not -100 <= value <= 100:
                raise InvalidInput(f"Rating {index + 1}: the value is a whole number or empty.", field=f"{where}.value")
            if value in values:
                raise InvalidInput(f"Rating {index + 1}: the value {value} is used twice.", field=f"{where}.value")
            values.add(value)
        if rating_id is not None and rating_id not in existing:
            raise InvalidInput(f"Rating {index + 1} is not on this team's scale.", field=f"{where}.id")
        cleaned.append({"id": rating_id, "label": label, "color": color, "value": value, "position": index})
    kept = {row["id"] for row in cleaned if row["id"] is not None}
    removed = [r for pk, r in existing.items() if pk not in kept]
    in_use = set(Verdict.objects.filter(rating__in=removed).values_list("rating__label", flat=True).distinct())
    if in_use:
        raise InvalidInput(f"Verdicts use {', '.join(sorted(in_use))}; keep those ratings.", field="ratings")
    before = [{"label": r.label, "value": r.value, "color": r.color} for r in sorted(existing.values(), key=_pos)]
    Rating.objects.filter(pk__in=[r.pk for r in removed]).delete()
    # Free the unique labels and values first, so that two ratings can swap them.
    for rating in existing.values():
        if rating.pk in kept:
            rating.label = f"~{rating.pk}~"
            rating.value = None
    Rating.objects.bulk_update([existing[pk] for pk in kept], ["label", "value"])
    result: list[Rating] = []
    for row in cleaned:
        rating = Rating(scale=scale) if row["id"] is None else existing[row["id"]]
        rating.label, rating.value, rating.color, rating.position = (
            row["label"],
            row["value"],
            row["color"],
            row["position"],
        )
        rating.save()
        result.append(rating)
    audit_record(
        team=team,
        actor=user,
        action="rating_scale.update",
        target=scale,
        before={"ratings": before},
        after={"ratings": [{"label": r.label, "value": r.value, "color": r.color} for r in result]},
    )
    return result


def _pos(rating: Rating) -> int:
    return rating.position
