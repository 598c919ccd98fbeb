"""Claim suggestions in the services: found on the article's text, never over a claim, carried through
revisions, accepted as the same claim a hand selection makes, dismissed for good, refitted per team."""

from __future__ import annotations

from typing import Any

import pytest

from annotations.errors import Conflict, NotAllowed
from annotations.models import Suggestion, SuggestionModel, SuggestionScan, SuggestionStatus
from annotations.services.articles import article_revise
from annotations.services.claims import claim_create
from annotations.services.suggestions import (
    REFIT_AFTER_DECISIONS,
    article_suggest,
    suggestion_accept,
    suggestion_dismiss,
    suggestions_refit,
    team_suggestions_set,
)
from annotations.suggestions import shipped_weights
from tests.factories import ArticleFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

STORY = (
    "The city council met on Tuesday evening.\n\n"
    "The new bridge will cost $48 million, twice the original estimate, according to the city's engineers. "
    "Traffic on the old bridge fell by 12% since 2019, the transport office said. "
    "Residents said they loved the view.\n\n"
    "Unemployment in the county rose to 6.1% in March, the highest rate in a decade."
)
BRIDGE = "The new bridge will cost $48 million, twice the original estimate, according to the city's engineers"


def suggested(article: Any) -> list[Suggestion]:
    article_suggest(article_id=article.pk)
    return list(Suggestion.objects.filter(article=article, status=SuggestionStatus.OPEN).order_by("-score", "id"))


def test_an_article_gets_its_check_worthy_spans_with_selectors_scores_and_reasons(team: Any):
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    assert SuggestionScan.objects.get(article=article).pending
    found = suggested(article)
    quotes = [s.exact for s in found]
    assert BRIDGE in quotes
    assert "Residents said they loved the view" not in quotes
    bridge = next(s for s in found if s.exact == BRIDGE)
    assert article.text[bridge.start : bridge.end] == bridge.exact
    assert bridge.prefix == article.text[max(0, bridge.start - 32) : bridge.start]
    assert bridge.suffix == article.text[bridge.end : bridge.end + 32]
    assert bridge.anchored_revision == 1 and 0 <= bridge.score <= 1
    assert {"amount", "attribution"} <= set(bridge.reasons)
    assert bridge.model_version == shipped_weights().version
    scan = SuggestionScan.objects.get(article=article)
    assert not scan.pending and scan.scanned_revision == 1
    # Running again changes nothing (the task may be delivered twice).
    assert article_suggest(article_id=article.pk) == "current"


def test_a_span_already_marked_is_not_suggested(team: Any):
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    claim_create(article=article, user=None, exact="cost $48 million, twice the original estimate")
    assert BRIDGE not in [s.exact for s in suggested(article)]


def test_accepting_makes_the_claim_a_hand_selection_makes(team: Any, reviewer: Any):
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    twin = ArticleFactory(team=team, source=STORY, source_format="text")
    bridge = next(s for s in suggested(article) if s.exact == BRIDGE)
    accepted = suggestion_accept(suggestion=bridge, user=reviewer)
    by_hand = claim_create(article=twin, user=reviewer, start=bridge.start, end=bridge.end, exact=BRIDGE, revision=1)
    fields = ("exact", "prefix", "suffix", "start", "end", "anchored_revision", "anchor_outcome")
    assert [getattr(accepted, f) for f in fields] == [getattr(by_hand, f) for f in fields]
    bridge.refresh_from_db()
    assert bridge.status == SuggestionStatus.ACCEPTED and bridge.claim_id == accepted.pk
    assert bridge.decided_by == reviewer and bridge.decided_at is not None
    with pytest.raises(Conflict):
        suggestion_accept(suggestion=bridge, user=reviewer)


def test_a_dismissed_span_is_not_suggested_again(team: Any, reviewer: Any):
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    bridge = next(s for s in suggested(article) if s.exact == BRIDGE)
    suggestion_dismiss(suggestion=bridge, user=reviewer)
    SuggestionScan.objects.filter(article=article).update(pending=True)
    assert BRIDGE not in [s.exact for s in suggested(article)]
    with pytest.raises(Conflict):
        suggestion_dismiss(suggestion=bridge, user=reviewer)


def test_suggestions_follow_a_revision_and_the_new_text_is_scanned(team: Any, reviewer: Any):
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    found = suggested(article)
    bridge = next(s for s in found if s.exact == BRIDGE)
    dismissed = next(s for s in found if s.exact != BRIDGE)
    suggestion_dismiss(suggestion=dismissed, user=reviewer)
    new_text = "A short note was added at the top.\n\n" + STORY.replace(
        "Residents said they loved the view.", "The mayor's office said 3,000 homes lost power."
    )
    revised = article_revise(article=article, user=None, source=new_text, source_format="text")
    bridge.refresh_from_db()
    assert bridge.anchor_outcome == "moved" and bridge.anchored_revision == 2
    assert revised.text[bridge.start : bridge.end] == BRIDGE
    dismissed.refresh_from_db()
    assert dismissed.status == SuggestionStatus.DISMISSED and dismissed.anchored_revision == 2
    assert SuggestionScan.objects.get(article=revised).pending
    after = suggested(revised)
    assert any(s.exact.startswith("The mayor's office said 3,000 homes lost power") for s in after)
    assert [s.pk for s in after if s.exact == BRIDGE] == [bridge.pk]  # the same suggestion, moved
    assert dismissed.exact not in [s.exact for s in after]


def test_a_team_that_turns_suggestions_off_gets_none_and_on_again_scans(team: Any, editor: Any, reviewer: Any):
    with pytest.raises(NotAllowed):
        team_suggestions_set(team=team, user=reviewer, enabled=False)
    team_suggestions_set(team=team, user=editor, enabled=False)
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    assert article_suggest(article_id=article.pk) == "off"
    assert not Suggestion.objects.filter(article=article).exists()
    team_suggestions_set(team=team, user=editor, enabled=True)
    assert SuggestionScan.objects.get(article=article).pending
    assert BRIDGE in [s.exact for s in suggested(article)]


def test_enough_decisions_refit_the_teams_weights_and_rescore(team: Any, reviewer: Any):
    articles = [ArticleFactory(team=team, source=STORY, source_format="text") for _ in range(REFIT_AFTER_DECISIONS)]
    open_ones = []
    for i, article in enumerate(articles):
        found = suggested(article)
        # The desk wants the bridge's cost and never the unemployment figure (say it is off topic).
        for s in found:
            if s.exact == BRIDGE and i % 2 == 0:
                suggestion_accept(suggestion=s, user=reviewer)
            elif s.exact.startswith("Unemployment"):
                suggestion_dismiss(suggestion=s, user=reviewer)
            else:
                open_ones.append(s)
    model = SuggestionModel.objects.get(team=team)
    assert model.refit_pending and model.fits == 0
    assert suggestions_refit(team_id=team.pk) == "fitted"
    model.refresh_from_db()
    assert model.version == f"team-{team.pk}.1" and not model.refit_pending and model.fits == 1
    assert model.decisions_at_fit >= REFIT_AFTER_DECISIONS
    assert set(model.weights) == set(shipped_weights().weights)
    still_open = Suggestion.objects.filter(team=team, status=SuggestionStatus.OPEN)
    assert still_open.exists() and {s.model_version for s in still_open} == {model.version}
    assert suggestions_refit(team_id=team.pk) == "current"
    # New articles are scored by the team's own weights; another team keeps the shipped ones.
    fresh = ArticleFactory(team=team, source=STORY, source_format="text")
    assert {s.model_version for s in suggested(fresh)} == {model.version}
    other = ArticleFactory(source=STORY, source_format="text")
    assert {s.model_version for s in suggested(other)} == {shipped_weights().version}


def test_hand_marked_claims_join_the_refit(team: Any, reviewer: Any):
    member = MembershipFactory(team=team, user=UserFactory(), role="reviewer").user
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    claim_create(article=article, user=member, exact="Residents said they loved the view")
    SuggestionModel.objects.create(
        team=team, version="base-1", intercept=0, weights={}, refit_pending=True, decisions_at_fit=0
    )
    assert suggestions_refit(team_id=team.pk) == "fitted"
