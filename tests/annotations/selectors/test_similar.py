import pytest

from annotations.models import Role
from annotations.selectors.similar import claims_similar
from annotations.services.workflow import claim_approve, claim_assign, claim_link_duplicate, claim_propose
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory, rating

pytestmark = pytest.mark.django_db

TEXT = "Unemployment fell to 4.2 percent last year, the lowest in a decade."


def claim_with_text(team, text):
    return ClaimFactory(article=ArticleFactory(team=team, source=text, source_format="text"), exact=text)


def test_earlier_similar_claims_come_with_their_current_verdict(team, reviewer, editor, django_assert_num_queries):
    chief = MembershipFactory(team=team, user=UserFactory(username="sam"), role=Role.EDITOR).user
    checked = claim_with_text(team, TEXT)
    checked = claim_assign(claim=checked, user=editor, assignee=reviewer)
    checked = claim_propose(claim=checked, user=reviewer, rating=rating(team, "Mostly true"), summary="4.3%.")
    claim_approve(claim=checked, user=chief)
    reworded = claim_with_text(team, "Unemployment fell to 4.2 percent last year")
    claim_with_text(team, "The bridge will open in May.")
    claim_with_text(TeamFactory(), TEXT)  # another team's identical claim never shows
    new = claim_with_text(team, "unemployment fell to 4.2 percent last year, the lowest in a decade")

    with django_assert_num_queries(2):
        found = claims_similar(team=team, text=new.exact, exclude=new)
        assert [c.pk for c in found] == [checked.pk, reworded.pk]
        assert found[0].current_verdicts[0].rating.label == "Mostly true"
        assert found[1].current_verdicts == []
    assert found[0].similarity > 0.9 and found[1].similarity >= 0.5
    assert all(c.pk < new.pk for c in found)


def test_nothing_similar_and_linked_duplicates_show_their_original(team, reviewer):
    original = claim_with_text(team, TEXT)
    assert claims_similar(team=team, text="Completely different words about bridges") == []
    assert claims_similar(team=team, text="   ") == []
    duplicate = claim_with_text(team, TEXT)
    claim_link_duplicate(claim=duplicate, earlier=original, user=reviewer)
    assert [c.pk for c in claims_similar(team=team, text=TEXT)] == [original.pk]
