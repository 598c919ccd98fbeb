import pytest
from django.urls import reverse

from annotations.matching.ranking import DEFAULT_THRESHOLD
from annotations.models import AuditEvent, Membership, Rating, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(team):
    return MembershipFactory(team=team, user=UserFactory(username="ada"), role=Role.ADMIN).user


def login(client, user):
    client.force_login(user)


def scale_post(team, rows):
    initial = sum(1 for row in rows if row.get("id"))
    data: dict[str, object] = {
        "rating-TOTAL_FORMS": len(rows),
        "rating-INITIAL_FORMS": initial,
        "rating-MIN_NUM_FORMS": 0,
    }
    data["rating-MAX_NUM_FORMS"] = 1000
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rating-{i}-{key}"] = "" if value is None else value
    return data


def current_rows(team):
    return [
        {"id": r.pk, "label": r.label, "value": r.value, "color": r.color, "ORDER": i + 1}
        for i, r in enumerate(Rating.objects.filter(scale__team=team).order_by("position"))
    ]


def test_admin_sees_labelled_forms(client, team, admin, reviewer):
    login(client, admin)
    html = client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert '<label for="id_username">Username</label>' in html
    assert "Role of rita" in html and "Label of rating 1" in html and "Colour of rating 1" in html
    assert 'for="id_default_due_days"' in html and "csrfmiddlewaretoken" in html


def test_members_see_settings_read_only_and_cannot_change_them(client, team, admin, reviewer):
    login(client, reviewer)
    html = client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert "Only admins can change these settings" in html and 'name="username"' not in html
    response = client.post(reverse("team_due_days", args=[team.slug]), {"default_due_days": 9})
    assert response.status_code == 403 and "needs the admin role" in response.content.decode()
    team.refresh_from_db()
    assert team.default_due_days == 3


def test_admin_adds_a_member_changes_a_role_and_removes_one(client, team, admin, reviewer):
    UserFactory(username="newbie")
    login(client, admin)
    response = client.post(reverse("team_member_add", args=[team.slug]), {"username": "newbie", "role": "editor"})
    assert response.status_code == 302
    member = Membership.objects.get(team=team, user__username="newbie")
    assert member.role == Role.EDITOR
    missing = client.post(reverse("team_member_add", args=[team.slug]), {"username": "ghost", "role": "editor"})
    assert missing.status_code == 400 and "no user called" in missing.content.decode()
    reviewer_membership = Membership.objects.get(team=team, user=reviewer)
    client.post(reverse("team_member_role", args=[team.slug, reviewer_membership.pk]), {"role": "editor"})
    reviewer_membership.refresh_from_db()
    assert reviewer_membership.role == Role.EDITOR
    client.post(reverse("team_member_remove", args=[team.slug, member.pk]))
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert AuditEvent.objects.filter(team=team, action__startswith="member.").count() == 3


def test_the_last_admin_cannot_leave_or_be_demoted(client, team, admin):
    login(client, admin)
    own = Membership.objects.get(team=team, user=admin)
    response = client.post(reverse("team_member_role", args=[team.slug, own.pk]), {"role": "editor"})
    assert response.status_code == 400 and "at least one admin" in response.content.decode()
    response = client.post(reverse("team_member_remove", args=[team.slug, own.pk]))
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_admin_edits_the_rating_scale(client, team, admin):
    login(client, admin)
    rows = current_rows(team)
    rows[0]["label"], rows[1]["label"] = rows[1]["label"], rows[0]["label"]  # swap two labels
    rows[0]["color"] = "#000000"
    rows[2]["ORDER"] = 99  # move "Half true" last
    rows[6]["DELETE"] = "on"  # remove "Unproven"
    rows.append({"label": "Misleading", "value": "", "color": "#123456", "ORDER": 50})
    response = client.post(reverse("team_rating_scale", args=[team.slug]), scale_post(team, rows))
    assert response.status_code == 302
    labels = list(Rating.objects.filter(scale__team=team).order_by("position").values_list("label", "color"))
    assert labels[0] == ("Mostly true", "#000000") and labels[1][0] == "True"
    assert [label for label, _ in labels[-2:]] == ["Misleading", "Half true"]
    assert "Unproven" not in [label for label, _ in labels] and len(labels) == 7


def test_rating_scale_errors_are_shown(client, team, admin):
    login(client, admin)
    rows = current_rows(team)
    rows[1]["label"] = rows[0]["label"]
    response = client.post(reverse("team_rating_scale", args=[team.slug]), scale_post(team, rows))
    assert response.status_code == 400 and "used twice" in response.content.decode()


def test_admin_sets_the_default_due_days(client, team, admin):
    login(client, admin)
    assert client.post(reverse("team_due_days", args=[team.slug]), {"default_due_days": 7}).status_code == 302
    team.refresh_from_db()
    assert team.default_due_days == 7
    response = client.post(reverse("team_due_days", args=[team.slug]), {"default_due_days": 0})
    assert response.status_code == 400


def test_admin_sets_the_match_score_already_checked_needs(client, team, admin):
    login(client, admin)
    html = client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert '<h2 id="matching-heading">Already checked?</h2>' in html
    assert '<label for="id_similarity_threshold">Match score needed (0 to 1)</label>' in html
    assert 'aria-describedby="id_similarity_threshold_helptext"' in html
    assert f'value="{DEFAULT_THRESHOLD}"' in html and f"{DEFAULT_THRESHOLD} is the default" in html
    assert "Lower finds more" in html
    response = client.post(reverse("team_similarity_threshold", args=[team.slug]), {"similarity_threshold": "0.65"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.similarity_threshold == 0.65
    assert 'value="0.65"' in client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert AuditEvent.objects.filter(team=team, action="team.similarity_threshold").count() == 1


@pytest.mark.parametrize("value", ["1.2", "-0.5", "", "half"])
def test_a_match_score_outside_0_to_1_is_a_form_error(client, team, admin, value):
    login(client, admin)
    response = client.post(reverse("team_similarity_threshold", args=[team.slug]), {"similarity_threshold": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="error" role="alert">' in html and 'aria-invalid="true"' in html
    team.refresh_from_db()
    assert team.similarity_threshold == DEFAULT_THRESHOLD


def test_members_see_the_match_score_but_cannot_change_it(client, team, admin, reviewer):
    login(client, reviewer)
    html = client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert f"when their match score is at least {DEFAULT_THRESHOLD}" in html
    assert 'name="similarity_threshold"' not in html
    response = client.post(reverse("team_similarity_threshold", args=[team.slug]), {"similarity_threshold": "0.9"})
    assert response.status_code == 403
    team.refresh_from_db()
    assert team.similarity_threshold == DEFAULT_THRESHOLD


def test_another_teams_members_get_404_on_every_settings_page(client, team, admin, outsider):
    login(client, outsider)
    member = Membership.objects.get(team=team, user=admin)
    assert client.get(reverse("team_settings", args=[team.slug])).status_code == 404
    for name, args, data in (
        ("team_member_add", [team.slug], {"username": "olga", "role": "admin"}),
        ("team_member_role", [team.slug, member.pk], {"role": "reviewer"}),
        ("team_member_remove", [team.slug, member.pk], {}),
        ("team_rating_scale", [team.slug], {}),
        ("team_due_days", [team.slug], {"default_due_days": 5}),
        ("team_similarity_threshold", [team.slug], {"similarity_threshold": "0.9"}),
        ("team_profile", [team.slug], {"public_name": "Olga's", "public_url": "", "logo_url": ""}),
    ):
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    # An admin of their own team cannot reach this team's membership through their team's URL.
    own = outsider.memberships.get().team
    assert client.post(reverse("team_member_remove", args=[own.slug, member.pk])).status_code == 404
    assert Membership.objects.filter(pk=member.pk, role=Role.ADMIN).exists()


PROFILE = {
    "public_name": "  Harbour   Facts ",
    "public_url": "https://facts.example.org/",
    "logo_url": "https://facts.example.org/logo.png",
}


def test_admin_sets_the_public_profile_that_the_public_pages_show(client, team, admin):
    login(client, admin)
    html = client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert 'id="profile-heading"' in html
    for field in ("public_name", "public_url", "logo_url"):
        assert f'<label for="id_{field}">' in html and f'aria-describedby="id_{field}_helptext"' in html
        assert f'id="id_{field}_helptext"' in html
    response = client.post(reverse("team_profile", args=[team.slug]), PROFILE)
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.public_name, team.public_url, team.logo_url) == (
        "Harbour Facts",
        "https://facts.example.org/",
        "https://facts.example.org/logo.png",
    )
    event = AuditEvent.objects.get(team=team, action="team.public_profile")
    assert event.before == {"public_name": "", "public_url": "", "logo_url": ""}
    index = client.get(reverse("public_index", args=[team.slug])).content.decode()
    assert '<a href="https://facts.example.org/">Harbour Facts</a>' in index
    # Emptied, the profile falls back to the team's name and its public index.
    assert client.post(reverse("team_profile", args=[team.slug]), {}).status_code == 302
    team.refresh_from_db()
    assert (team.public_name, team.public_url, team.logo_url) == ("", "", "")
    index = client.get(reverse("public_index", args=[team.slug])).content.decode()
    assert f'<a href="http://testserver/fact-checks/{team.slug}/">{team.name}</a>' in index


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("public_url", "javascript:alert(1)"),
        ("logo_url", "ftp://facts.example.org/logo.png"),
        ("public_url", "https://" + "a" * 2000 + ".org/"),
        ("public_name", "x" * 201),
    ],
)
def test_a_public_profile_that_is_not_a_web_address_is_refused(client, team, admin, field, value):
    login(client, admin)
    response = client.post(reverse("team_profile", args=[team.slug]), {**PROFILE, field: value})
    assert response.status_code == 400
    assert 'class="error" role="alert"' in response.content.decode()
    team.refresh_from_db()
    assert (team.public_name, team.public_url, team.logo_url) == ("", "", "")


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.EDITOR])
def test_only_admins_set_the_public_profile(client, team, admin, role):
    member = MembershipFactory(team=team, user=UserFactory(username=f"{role}-x"), role=role).user
    login(client, member)
    html = client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert 'id="profile-heading"' in html and 'name="public_name"' not in html
    response = client.post(reverse("team_profile", args=[team.slug]), PROFILE)
    assert response.status_code == 403 and "needs the admin role" in response.content.decode()
    team.refresh_from_db()
    assert team.public_name == ""
    assert client.get(reverse("team_profile", args=[team.slug])).status_code == 405
