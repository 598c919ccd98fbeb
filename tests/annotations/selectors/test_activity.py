"""The team's recent activity as readable lines (annotations.selectors.activity)."""

import pytest

from annotations.selectors.activity import team_activity
from annotations.services.workflow import claim_delete, claim_update, claims_bulk_set_due
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_lines_name_the_actor_the_action_and_link_to_the_claim(team, editor, reviewer):
    article = ArticleFactory(team=team, title="Flood story")
    claim = ClaimFactory(article=article)
    claim_update(claim=claim, user=editor, version=1, assignee=reviewer)
    claims_bulk_set_due(team=team, claim_ids=[claim.pk], due_at=None, user=editor)
    gone = ClaimFactory(article=article, exact="river rose")
    claim_delete(claim=gone, user=editor)
    lines = team_activity(team=team)
    deleted, cleared, assigned = lines[0], lines[1], lines[2]
    assert (cleared.verb, cleared.detail) == ("edited the claim", "due date cleared")
    assert (deleted.actor, deleted.verb, deleted.subject) == ("eddie", "deleted the claim", "river rose")
    assert deleted.url == f"/articles/{article.pk}/"
    assert (assigned.actor, assigned.verb, assigned.detail) == ("eddie", "edited the claim", "to rita")
    assert assigned.url == f"/articles/{article.pk}/#claim-{claim.pk}" and assigned.subject == "flood wall"
    created = lines[-1]
    assert (created.actor, created.verb, created.subject) == ("The system", "added the article", "Flood story")


def test_only_the_teams_own_events_in_a_fixed_number_of_queries(team, editor, outsider, django_assert_num_queries):
    other = outsider.memberships.get().team
    ArticleFactory(team=other, title="Theirs")
    for _ in range(3):
        claim_update(claim=ClaimFactory(article=ArticleFactory(team=team)), user=editor, version=1, claimant="X")
    with django_assert_num_queries(3):
        lines = team_activity(team=team, limit=5)
    assert len(lines) == 5 and all(line.subject != "Theirs" for line in lines)
