"""The suggestions API: an article's list best first, accept (answers the claim, 201), dismiss, and the
team setting in the workflow settings."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Claim, Suggestion, SuggestionStatus, Team
from annotations.services.suggestions import article_suggest
from annotations.suggestions import shipped_weights
from tests.annotations.api.conftest import bearer
from tests.annotations.services.test_suggestions import BRIDGE, STORY
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def scanned(team: Team, source: str = STORY) -> Any:
    article = ArticleFactory(team=team, source=source, source_format="text")
    article_suggest(article_id=article.pk)
    return article


def listed(api: Any, article: Any, **query: Any) -> Any:
    response = api.get(f"/api/v1/articles/{article.pk}/suggestions/", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_list_is_best_first_with_span_score_reasons_and_model_version(api: Any, team: Team):
    article = scanned(team)
    results = listed(api, article)["results"]
    assert results, "the story has check-worthy spans"
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    bridge = next(r for r in results if r["exact"] == BRIDGE)
    assert article.text[bridge["start"] : bridge["end"]] == BRIDGE
    assert bridge["revision"] == 1 and bridge["status"] == "open" and bridge["claim"] is None
    assert "amount" in bridge["reasons"] and bridge["model_version"] == shipped_weights().version
    assert set(bridge) == {
        "id", "article", "start", "end", "exact", "prefix", "suffix", "revision", "score", "reasons",
        "model_version", "status", "claim", "created_at",
    }  # fmt: skip


def test_pages_follow_the_cursor_and_cost_the_same(api: Any, team: Team):
    article = scanned(team, "\n\n".join([STORY] * 4))
    everything = [r["id"] for r in listed(api, article)["results"]]
    assert len(everything) > 6
    first = listed(api, article, page_size=3)
    with CaptureQueriesContext(connection) as small:
        api.get(f"/api/v1/articles/{article.pk}/suggestions/", {"page_size": 3})
    with CaptureQueriesContext(connection) as large:
        api.get(f"/api/v1/articles/{article.pk}/suggestions/", {"page_size": 100})
    assert len(small) == len(large)
    seen = [r["id"] for r in first["results"]]
    page = first
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += [r["id"] for r in page["results"]]
    assert seen == everything


def test_accepting_answers_the_claim_as_creating_it_does(api: Any, team: Team):
    article = scanned(team)
    bridge = Suggestion.objects.get(article=article, exact=BRIDGE)
    response = api.post(f"/api/v1/suggestions/{bridge.pk}/accept/")
    assert response.status_code == 201, response.content
    claim = response.json()
    twin = ArticleFactory(team=team, source=STORY, source_format="text")
    by_hand = api.post(
        f"/api/v1/articles/{twin.pk}/claims/",
        {"start": bridge.start, "end": bridge.end, "exact": BRIDGE, "revision": 1},
        format="json",
    ).json()
    for key in ("exact", "prefix", "suffix", "start", "end", "anchored_revision", "anchor_outcome", "status"):
        assert claim[key] == by_hand[key], key
    assert response["ETag"] == f'"{claim["version"]}"'
    assert set(claim) == set(by_hand)
    # The span is a claim now: no longer listed, and not accepted twice.
    assert BRIDGE not in [r["exact"] for r in listed(api, article)["results"]]
    again = api.post(f"/api/v1/suggestions/{bridge.pk}/accept/")
    assert again.status_code == 409 and again.json()["error"]["status"] == 409


def test_a_span_marked_by_hand_since_is_neither_listed_nor_accepted(api: Any, team: Team):
    article = scanned(team)
    bridge = Suggestion.objects.get(article=article, exact=BRIDGE)
    api.post(f"/api/v1/articles/{article.pk}/claims/", {"exact": "cost $48 million"}, format="json")
    api.post(f"/api/v1/articles/{article.pk}/claims/", {"exact": BRIDGE}, format="json")
    assert BRIDGE not in [r["exact"] for r in listed(api, article)["results"]]
    assert api.post(f"/api/v1/suggestions/{bridge.pk}/accept/").status_code == 409
    assert Claim.objects.filter(article=article).count() == 2


def test_dismissing_records_the_decision(api: Any, team: Team, reviewer: Any):
    article = scanned(team)
    bridge = Suggestion.objects.get(article=article, exact=BRIDGE)
    response = api.post(f"/api/v1/suggestions/{bridge.pk}/dismiss/")
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"
    bridge.refresh_from_db()
    assert bridge.status == SuggestionStatus.DISMISSED and bridge.decided_by == reviewer
    assert BRIDGE not in [r["exact"] for r in listed(api, article)["results"]]
    assert api.post(f"/api/v1/suggestions/{bridge.pk}/dismiss/").status_code == 409


def test_other_teams_and_read_only_keys(outsider_api: Any, key_api: Any, team: Team):
    article = scanned(team)
    suggestion = Suggestion.objects.filter(article=article).first()
    assert suggestion is not None
    assert outsider_api.get(f"/api/v1/articles/{article.pk}/suggestions/").status_code == 404
    assert outsider_api.post(f"/api/v1/suggestions/{suggestion.pk}/accept/").status_code == 404
    assert outsider_api.post(f"/api/v1/suggestions/{suggestion.pk}/dismiss/").status_code == 404
    assert key_api.get(f"/api/v1/articles/{article.pk}/suggestions/").status_code == 200
    assert key_api.post(f"/api/v1/suggestions/{suggestion.pk}/accept/").status_code == 403
    assert bearer("nonsense").get(f"/api/v1/articles/{article.pk}/suggestions/").status_code == 401


def test_editors_turn_suggestions_off_in_the_workflow_settings(api: Any, editor_api: Any, team: Team):
    article = scanned(team)
    url = f"/api/v1/teams/{team.pk}/workflow/"
    assert api.get(url).json()["suggestions_enabled"] is True
    assert api.patch(url, {"suggestions_enabled": False}, format="json").status_code == 403
    assert editor_api.patch(url, {"default_due_days": 9}, format="json").status_code == 403
    assert editor_api.patch(url, {"suggestions_enabled": "false"}, format="json").status_code == 400
    response = editor_api.patch(url, {"suggestions_enabled": False}, format="json")
    assert response.status_code == 200 and response.json()["suggestions_enabled"] is False
    assert listed(api, article)["results"] == []
    suggestion = Suggestion.objects.filter(article=article).first()
    assert suggestion is not None
    assert api.post(f"/api/v1/suggestions/{suggestion.pk}/accept/").status_code == 404
    assert editor_api.patch(url, {"suggestions_enabled": True}, format="json").json()["suggestions_enabled"] is True
    assert listed(api, article)["results"]
