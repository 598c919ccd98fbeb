"""Checked elsewhere over the API: importing ClaimReview, the feeds, their lists, team isolation and 400s."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotations.claimreview_import import MAX_ITEMS
from annotations.models import ExternalReview, ReviewFeed
from annotations.services.external_reviews import external_reviews_import
from tests.annotations.published_reviews import claim_review, data_commons_feed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_feeds(settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.FETCH_EXTRA_PORTS = [8765]


def test_an_editor_imports_a_data_feed_and_sees_what_was_created_updated_and_skipped(
    editor_api: Any, team: Any
) -> None:
    url = f"/api/v1/teams/{team.pk}/external-reviews/"
    document = data_commons_feed(claim_review(1), claim_review(2, claimReviewed=""), claim_review(3))

    created = editor_api.post(url, document, format="json")

    assert created.status_code == 201, created.json()
    assert created.json() == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": [{"index": 1, "reason": "No claimReviewed: the review does not say which claim it checks."}],
    }
    again = editor_api.post(
        url,
        json.dumps([claim_review(1), claim_review(3, reviewRating={"alternateName": "Verdadero"})]),
        content_type="application/ld+json",
    )
    assert again.status_code == 200, again.json()
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 1, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("a string", "document"),
        (42, "document"),
        ([{"@type": "Thing"}] * (MAX_ITEMS + 1), "document"),
        ({"@graph": [[[[{"@type": "ClaimReview"}]]]] * 1, "@id": "x"}, None),
    ],
)
def test_a_body_that_is_no_json_ld_document_is_a_400(editor_api: Any, team: Any, body: Any, field: str | None) -> None:
    response = editor_api.post(f"/api/v1/teams/{team.pk}/external-reviews/", body, format="json")
    if field is None:  # a readable document: nothing in it is usable, which is no error
        assert response.status_code == 200 and response.json()["created"] == 0
        return
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]


def test_a_body_that_is_not_json_is_a_400(editor_api: Any, team: Any) -> None:
    response = editor_api.post(
        f"/api/v1/teams/{team.pk}/external-reviews/", "{not json", content_type="application/ld+json"
    )
    assert response.status_code == 400


def test_members_list_reviews_page_by_page_in_few_queries_and_only_their_team_s(
    api: Any, outsider_api: Any, key_api: Any, team: Any, editor: Any, django_assert_max_num_queries: Any
) -> None:
    external_reviews_import(team=team, user=editor, document=[claim_review(n) for n in range(3)])
    url = f"/api/v1/teams/{team.pk}/external-reviews/"
    with django_assert_max_num_queries(8) as few:
        first = api.get(url, {"page_size": 2})
    baseline = len(few.captured_queries)
    assert first.status_code == 200
    page = first.json()
    assert [r["url"][-1] for r in page["results"]] == ["2", "1"]  # the newest import first
    assert set(page["results"][0]) >= {"publisher", "rating_text", "claim_reviewed", "language", "embedded"}
    external_reviews_import(team=team, user=editor, document=[claim_review(n) for n in range(3, 30)])
    with django_assert_max_num_queries(baseline):
        assert len(api.get(url, {"page_size": 100}).json()["results"]) == 30
    assert [r["url"][-2:] for r in api.get(page["next"]).json()["results"]] == ["-0"]
    assert outsider_api.get(url).status_code == 404
    assert key_api.get(url).status_code == 403
    assert api.get(url, {"feed": "x"}).status_code == 400


def test_reviewers_cannot_import_add_feeds_or_remove(api: Any, team: Any, editor: Any) -> None:
    assert api.post(f"/api/v1/teams/{team.pk}/external-reviews/", claim_review(), format="json").status_code == 403
    feeds = f"/api/v1/teams/{team.pk}/review-feeds/"
    assert api.post(feeds, {"url": "https://feeds.example.org/f.json"}, format="json").status_code == 403
    external_reviews_import(team=team, user=editor, document=claim_review())
    review = ExternalReview.objects.get()
    assert api.delete(f"/api/v1/external-reviews/{review.pk}/").status_code == 403


def test_an_editor_adds_lists_refreshes_and_removes_a_feed(
    editor_api: Any, outsider_api: Any, api: Any, team: Any, django_assert_max_num_queries: Any
) -> None:
    url = f"/api/v1/teams/{team.pk}/review-feeds/"
    created = editor_api.post(url, {"url": "http://127.0.0.1:8765/feeds/claimreview.json"}, format="json")
    assert created.status_code == 201, created.json()
    feed = created.json()
    assert feed["url"] == "http://127.0.0.1:8765/feeds/claimreview.json"
    assert feed["stored"] == 0 and feed["review_count"] == 0 and feed["refreshed_at"] is None
    again = editor_api.post(url, {"url": "http://127.0.0.1:8765/feeds/claimreview.json"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == feed["id"]

    with django_assert_max_num_queries(8):
        listed = api.get(url).json()["results"]
    assert [f["id"] for f in listed] == [feed["id"]]
    assert outsider_api.get(url).status_code == 404
    assert outsider_api.post(f"/api/v1/review-feeds/{feed['id']}/refresh/").status_code == 404
    assert outsider_api.delete(f"/api/v1/review-feeds/{feed['id']}/").status_code == 404

    refreshed = editor_api.post(f"/api/v1/review-feeds/{feed['id']}/refresh/")
    assert refreshed.status_code == 202 and refreshed.json()["id"] == feed["id"]
    assert editor_api.delete(f"/api/v1/review-feeds/{feed['id']}/").status_code == 204
    assert not ReviewFeed.objects.exists()
    assert editor_api.delete(f"/api/v1/review-feeds/{feed['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://feeds.example.org/f.json", "http or https"),
        ("http://192.168.1.4/f.json", "public addresses only"),
        ("https://feeds.example.org:9/f.json", "Port 9"),
        ("https://user:pw@feeds.example.org/f.json", "user name or password"),
    ],
)
def test_a_feed_url_that_cannot_be_read_is_a_400_on_the_url_field(
    editor_api: Any, team: Any, url: str, message: str
) -> None:
    response = editor_api.post(f"/api/v1/teams/{team.pk}/review-feeds/", {"url": url}, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["error"]["fields"]["url"])


def test_an_editor_removes_an_imported_review_and_another_team_s_is_missing(
    editor_api: Any, outsider_api: Any, team: Any, editor: Any
) -> None:
    external_reviews_import(team=team, user=editor, document=claim_review())
    review = ExternalReview.objects.get()
    assert outsider_api.delete(f"/api/v1/external-reviews/{review.pk}/").status_code == 404
    assert editor_api.delete(f"/api/v1/external-reviews/{review.pk}/").status_code == 204
    assert not ExternalReview.objects.exists()
