import pytest

from annotations.models import Rating
from annotations.services.teams import DEFAULT_RATINGS, membership_set, team_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_team_gets_the_default_rating_scale():
    team = team_create(slug="desk", name="Desk")
    labels = list(Rating.objects.filter(scale__team=team).order_by("position").values_list("label", "value"))
    assert labels == [(label, value) for label, value, _ in DEFAULT_RATINGS]
    assert [label for label, _ in labels] == [
        "True",
        "Mostly true",
        "Half true",
        "Mostly false",
        "False",
        "Pants on fire",
        "Unproven",
    ]


def test_membership_set_changes_the_role_without_duplicating():
    team = team_create(slug="desk", name="Desk")
    user = UserFactory()
    membership_set(team=team, user=user, role="reviewer")
    membership = membership_set(team=team, user=user, role="editor")
    assert membership.role == "editor"
    assert team.memberships.count() == 1


def test_membership_set_refuses_an_unknown_role():
    team = team_create(slug="desk", name="Desk")
    with pytest.raises(ValueError, match="Unknown role"):
        membership_set(team=team, user=UserFactory(), role="owner")
