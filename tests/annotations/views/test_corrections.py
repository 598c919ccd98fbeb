import pytest
from django.urls import reverse

from annotations.models import Role, Verdict
from annotations.services.workflow import (
    claim_approve,
    claim_approve_correction,
    claim_assign,
    claim_propose,
    claim_propose_correction,
    claim_publish,
    claim_publish_correction,
    claim_retract,
)
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    correct_claim,
    rating,
)

pytestmark = pytest.mark.django_db


def published_claim(team, exact="flood wall", *, editor, other_editor, reviewer):
    claim = ClaimFactory(article=ArticleFactory(team=team), exact=exact)
    claim_assign(claim=claim, user=editor, assignee=reviewer)
    claim_propose(claim=claim, user=reviewer, rating=rating(team, "True"), summary="The council approved it.")
    claim_approve(claim=claim, user=other_editor)
    return claim_publish(claim=claim, user=other_editor)


def corrected_claim(team, exact="flood wall", *, editor, other_editor, reviewer):
    claim = published_claim(team, exact, editor=editor, other_editor=other_editor, reviewer=reviewer)
    claim_propose_correction(
        claim=claim,
        user=reviewer,
        rating=rating(team, "Half true"),
        summary="Approved, but not yet funded.",
        note="The funding vote is still to come.",
    )
    claim_approve_correction(claim=claim, user=editor)
    return claim_publish_correction(claim=claim, user=other_editor)


def retracted_claim(team, exact="3.1 metres", *, editor, other_editor, reviewer):
    claim = published_claim(team, exact, editor=editor, other_editor=other_editor, reviewer=reviewer)
    return claim_retract(claim=claim, user=editor, note="The gauge readings we relied on were forged.")


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


def test_a_correction_under_review_or_withdrawn_is_not_in_the_log(client, team, desk):
    claim = published_claim(team, **desk)
    claim_propose_correction(
        claim=claim, user=desk["reviewer"], rating=rating(team, "False"), summary="Draft.", note="Maybe."
    )
    html = client.get(reverse("corrections_log", args=[team.slug])).content.decode()
    assert "<article" not in html and "Draft." not in html and "No corrections or retractions yet." in html


def test_a_retraction_leaves_a_tombstone_in_the_public_log_newest_first(client, team, desk):
    corrected_claim(team, **desk)
    claim = retracted_claim(team, **desk)
    retracted = Verdict.objects.get(claim=claim)
    response = client.get(reverse("corrections_log", args=[team.slug]))  # not signed in
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<article") == 2
    assert html.index("3.1 metres") < html.index("flood wall")  # the retraction came last: it is first
    tombstone = html[html.index(f'id="retraction-{retracted.pk}"') : html.index("</article>")]
    assert "Retracted" in tombstone and ">True<" in tombstone and "The council approved it." in tombstone
    assert "The gauge readings we relied on were forged." in tombstone
    assert f"by {team.name}" in tombstone
    assert desk["editor"].username not in html  # who retracted is not public, only the team


def test_the_log_shows_only_this_teams_corrections(client, team, desk):
    corrected_claim(team, **desk)
    other = TeamFactory()
    other_desk = {
        "editor": MembershipFactory(team=other, role=Role.EDITOR).user,
        "other_editor": MembershipFactory(team=other, role=Role.EDITOR).user,
        "reviewer": MembershipFactory(team=other, role=Role.REVIEWER).user,
    }
    corrected_claim(other, "3.1 metres", **other_desk)
    retracted_claim(other, "Mayor", **other_desk)
    html = client.get(reverse("corrections_log", args=[team.slug])).content.decode()
    assert html.count("<article") == 1 and "flood wall" in html and "3.1 metres" not in html and "Mayor" not in html
    assert client.get(reverse("corrections_log", args=["no-such-team"])).status_code == 404


def test_the_log_runs_in_constant_queries(client, team, desk, django_assert_max_num_queries):
    corrected_claim(team, **desk)
    retracted_claim(team, **desk)
    url = reverse("corrections_log", args=[team.slug])
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    for _ in range(3):
        corrected_claim(team, **desk)
        retracted_claim(team, **desk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("<article") == 8


def test_each_entry_links_to_its_public_fact_check_page(client, team, desk):
    corrected = corrected_claim(team, **desk)
    retracted = retracted_claim(team, **desk)
    html = client.get(reverse("corrections_log", args=[team.slug])).content.decode()
    current = reverse("public_fact_check", args=[team.slug, corrected.pk])
    tombstone = reverse("public_fact_check", args=[team.slug, retracted.pk])
    assert f'<a href="{current}">Read the fact-check<' in html
    assert f'<a href="{tombstone}">The retraction notice<' in html
    assert client.get(current).status_code == 200 and client.get(tombstone).status_code == 200
    # A correction that a later one replaced points to the fact-check as it stands now.
    correct_claim(
        corrected,
        reviewer=desk["reviewer"],
        editor=desk["editor"],
        label="Mostly true",
        summary="Funded since.",
        note="The funding vote passed.",
    )
    html = client.get(reverse("corrections_log", args=[team.slug])).content.decode()
    assert html.count(f'<a href="{current}">') == 2 and "Read the fact-check as it stands now<" in html
