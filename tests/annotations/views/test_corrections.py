import pytest
from django.urls import reverse

from annotations.models import Role
from annotations.services.workflow import claim_approve, claim_assign, claim_correct, claim_propose, claim_publish
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory, rating

pytestmark = pytest.mark.django_db


def corrected_claim(team, exact="flood wall", *, editor, other_editor, reviewer):
    claim = ClaimFactory(article=ArticleFactory(team=team), exact=exact)
    claim_assign(claim=claim, user=editor, assignee=reviewer)
    claim_propose(claim=claim, user=reviewer, rating=rating(team, "True"), summary="The council approved it.")
    claim_approve(claim=claim, user=other_editor)
    claim_publish(claim=claim, user=other_editor)
    claim_correct(
        claim=claim,
        user=editor,
        rating=rating(team, "Half true"),
        summary="Approved, but not yet funded.",
        note="The funding vote is still to come.",
    )
    return claim


@pytest.fixture
def desk(team, editor, reviewer):
    return {
        "editor": editor,
        "reviewer": reviewer,
        "other_editor": MembershipFactory(team=team, user=UserFactory(username="erin"), role=Role.EDITOR).user,
    }


def test_the_log_is_public_and_shows_the_old_and_new_verdict(client, team, desk):
    corrected_claim(team, **desk)
    response = client.get(reverse("corrections_log", args=[team.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Half true" in html and "Approved, but not yet funded." in html
    assert "The council approved it." in html and ">True<" in html
    assert "The funding vote is still to come." in html


def test_the_log_shows_only_this_teams_corrections(client, team, desk):
    corrected_claim(team, **desk)
    other = TeamFactory()
    other_desk = {
        "editor": MembershipFactory(team=other, role=Role.EDITOR).user,
        "other_editor": MembershipFactory(team=other, role=Role.EDITOR).user,
        "reviewer": MembershipFactory(team=other, role=Role.REVIEWER).user,
    }
    corrected_claim(other, "3.1 metres", **other_desk)
    html = client.get(reverse("corrections_log", args=[team.slug])).content.decode()
    assert html.count("<article") == 1 and "flood wall" in html and "3.1 metres" not in html
    assert client.get(reverse("corrections_log", args=["no-such-team"])).status_code == 404


def test_the_log_runs_in_constant_queries(client, team, desk, django_assert_max_num_queries):
    corrected_claim(team, **desk)
    url = reverse("corrections_log", args=[team.slug])
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    for _ in range(4):
        corrected_claim(team, **desk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("<article") == 5
