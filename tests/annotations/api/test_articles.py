from __future__ import annotations

from typing import Any

import pytest

from annotations.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_create_from_markdown(api: Any, team: Any) -> None:
    response = api.post(
        "/api/v1/articles/",
        {
            "team": team.pk,
            "title": "Flood wall",
            "source": "The **council** approved it.",
            "source_format": "markdown",
            "canonical_url": "HTTPS://News.Example.org/wall/?utm_source=x",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["text"] == "The council approved it."
    assert body["canonical_url"] == "https://news.example.org/wall"
    assert api.get(f"/api/v1/articles/{body['id']}/").json()["title"] == "Flood wall"


def test_create_needs_text_or_url_and_membership(api: Any, team: Any, outsider: Any) -> None:
    missing = api.post("/api/v1/articles/", {"team": team.pk}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()["error"]["fields"]) == {"source", "source_format"}
    empty = api.post("/api/v1/articles/", {"team": team.pk, "source": "   ", "source_format": "text"}, format="json")
    assert empty.status_code == 400 and "source" in empty.json()["error"]["fields"]
    other = outsider.memberships.get().team
    foreign = api.post("/api/v1/articles/", {"team": other.pk, "source": "x", "source_format": "text"}, format="json")
    assert foreign.status_code == 400 and "team" in foreign.json()["error"]["fields"]
    assert not Article.objects.filter(team=other).exists()


def test_create_from_a_refused_url_is_a_field_error(api: Any, team: Any) -> None:
    response = api.post("/api/v1/articles/", {"team": team.pk, "url": "http://127.0.0.1/private"}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()["error"]["fields"]


def test_list_filters_and_isolation(api: Any, outsider_api: Any, team: Any, django_assert_max_num_queries: Any) -> None:
    a = ArticleFactory(team=team, canonical_url="https://example.org/a", title="Flood")
    ArticleFactory(team=team, canonical_url="https://example.org/b", title="Budget")
    with django_assert_max_num_queries(6) as few:
        assert len(api.get("/api/v1/articles/").json()["results"]) == 2
    for _ in range(10):
        ArticleFactory(team=team)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/articles/").json()["results"]) == 12
    [only] = api.get("/api/v1/articles/?article_url=https://EXAMPLE.org/a/").json()["results"]
    assert only["id"] == a.pk and "text" not in only
    assert [x["id"] for x in api.get("/api/v1/articles/?q=flood").json()["results"]] == [a.pk]
    assert outsider_api.get("/api/v1/articles/").json()["results"] == []
    assert outsider_api.get(f"/api/v1/articles/{a.pk}/").status_code == 404


def test_article_etag_is_its_revision_and_a_poll_costs_a_304(api: Any, article: Any) -> None:
    first = api.get(f"/api/v1/articles/{article.pk}/")
    assert first.status_code == 200 and first.headers["ETag"] == '"1"'
    assert "reading_html" in first.json() and "<p" in first.json()["reading_html"]
    again = api.get(f"/api/v1/articles/{article.pk}/", HTTP_IF_NONE_MATCH='"1"')
    assert again.status_code == 304 and not again.content


def test_revising_through_the_api_needs_an_editor_and_the_revision_read(
    api: Any, editor_api: Any, article: Any, editor: Any
) -> None:
    url = f"/api/v1/articles/{article.pk}/"
    body = {"source": "A new text about the flood wall.", "source_format": "text"}
    assert api.patch(url, {**body, "revision": 1}, format="json").status_code == 403
    missing = editor_api.patch(url, body, format="json")
    assert missing.status_code == 428 and missing.json()["error"]["code"] == "precondition_required"
    saved = editor_api.patch(url, {**body, "revision": 1}, format="json")
    assert saved.status_code == 200 and saved.json()["revision"] == 2 and saved.headers["ETag"] == '"2"'
    stale = editor_api.patch(url, {"source": "Mine.", "source_format": "text"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    assert stale.json()["current"]["revision"] == 2
    assert stale.json()["last_change"]["by"]["username"] == editor.username
    assert stale.json()["last_change"]["after"]["revision"] == 2
    assert api.get(url, HTTP_IF_NONE_MATCH='"1"').status_code == 200
