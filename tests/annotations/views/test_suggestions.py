"""Claim suggestions on the pages: editors turn them off on Team settings; the reading view knows."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from annotations.models import AuditEvent, Team
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_editors_turn_suggestions_off_and_on_with_a_labelled_checkbox(client: Any, team: Team, editor: Any):
    client.force_login(editor)
    html = client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert re.search(r'<input type="checkbox" name="suggestions_enabled" id="suggestions-enabled"[^>]* checked>', html)
    assert '<label for="suggestions-enabled">' in html
    response = client.post(reverse("team_suggestions", args=[team.slug]), {})
    assert response.status_code == 302
    team.refresh_from_db()
    assert not team.suggestions_enabled
    assert AuditEvent.objects.filter(team=team, action="team.suggestions").count() == 1
    client.post(reverse("team_suggestions", args=[team.slug]), {"suggestions_enabled": "on"})
    team.refresh_from_db()
    assert team.suggestions_enabled


def test_reviewers_see_the_setting_but_cannot_change_it(client: Any, team: Team, reviewer: Any):
    client.force_login(reviewer)
    html = client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert "Claim suggestions are on for this team." in html and 'name="suggestions_enabled"' not in html
    assert client.post(reverse("team_suggestions", args=[team.slug]), {}).status_code == 403
    team.refresh_from_db()
    assert team.suggestions_enabled


def test_the_reading_view_has_the_suggestion_list_and_knows_whether_they_are_on(client: Any, team: Team, reviewer: Any):
    article = ArticleFactory(team=team)
    client.force_login(reviewer)
    html = client.get(reverse("article", args=[article.pk])).content.decode()
    data = json.loads(_reader_data(html))
    assert data["suggestions"] is True
    assert 'id="suggestion-list"' in html and '<label for="suggestion-order">' in html
    Team.objects.filter(pk=team.pk).update(suggestions_enabled=False)
    html = client.get(reverse("article", args=[article.pk])).content.decode()
    data = json.loads(_reader_data(html))
    assert data["suggestions"] is False


def _reader_data(html: str) -> str:
    found = re.search(r'<script id="reader-data" type="application/json">(.*?)</script>', html, re.S)
    assert found is not None, "the page has no reader data"
    return found[1]
