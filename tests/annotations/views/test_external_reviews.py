"""The Team settings page's "Checked elsewhere" section: importing a file, adding, reading and removing feeds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from annotations.models import ExternalReview, Membership, ReviewFeed
from annotations.services.external_reviews import external_reviews_import
from tests.annotations.published_reviews import claim_review, data_commons_feed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_feeds(settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.FETCH_EXTRA_PORTS = [8765]


def page(client: Any, team: Any) -> str:
    response = client.get(reverse("team_settings", args=[team.slug]))
    assert response.status_code == 200
    return str(response.content.decode())


def upload(document: Any, name: str = "reviews.json") -> SimpleUploadedFile:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


def test_an_editor_sees_labelled_forms_and_the_feeds_with_their_state(
    client: Any, team: Any, editor: Any, django_assert_max_num_queries: Any
) -> None:
    ReviewFeed.objects.create(team=team, url="https://feeds.example.org/a.json")
    ReviewFeed.objects.create(
        team=team,
        url="https://feeds.example.org/b.json",
        refreshed_at=timezone.now(),
        review_count=0,
        last_error="feeds.example.org answered 404 Not Found.",
    )
    external_reviews_import(team=team, user=editor, document=[claim_review(1), claim_review(2)])
    client.force_login(editor)
    with django_assert_max_num_queries(40) as few:
        html = page(client, team)
    assert '<h2 id="elsewhere-heading">Checked elsewhere</h2>' in html
    assert '<label for="id_reviews-file">ClaimReview file</label>' in html
    assert '<label for="id_feed-url">Feed or page address</label>' in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "2 reviews imported; 2 still being prepared for matching." in html
    assert "Not read yet" in html and "Could not be read" in html and "404 Not Found" in html
    assert 'Read now<span class="visually-hidden"> https://feeds.example.org/a.json</span>' in html
    # More feeds cost no more queries.
    baseline = len(few.captured_queries)
    for n in range(5):
        ReviewFeed.objects.create(team=team, url=f"https://feeds.example.org/{n}.json")
    with django_assert_max_num_queries(baseline):
        page(client, team)


def test_a_reviewer_sees_the_section_without_forms_and_cannot_post(client: Any, team: Any, reviewer: Any) -> None:
    client.force_login(reviewer)
    html = page(client, team)
    assert "Checked elsewhere" in html and 'name="feed-url"' not in html and 'name="reviews-file"' not in html
    response = client.post(reverse("team_review_feed_add", args=[team.slug]), {"feed-url": "https://f.example.org/"})
    assert response.status_code == 403
    assert not ReviewFeed.objects.exists()


def test_an_editor_imports_a_file_and_sees_what_happened(client: Any, team: Any, editor: Any) -> None:
    client.force_login(editor)
    document = data_commons_feed(claim_review(1), claim_review(2, url=None), claim_review(3))
    response = client.post(
        reverse("team_review_import", args=[team.slug]), {"reviews-file": upload(document)}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Imported 2 reviews: 2 new, 0 updated, 0 unchanged; 1 skipped." in html
    assert "Skipped item 1: No url" in html
    assert ExternalReview.objects.filter(team=team).count() == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "The document is not JSON"),
        (
            json.dumps({"@type": "NewsArticle"}).encode(),
            "No ClaimReview could be read from the file: Not a ClaimReview",
        ),
    ],
)
def test_a_file_that_yields_no_review_is_a_form_error(
    client: Any, team: Any, editor: Any, body: bytes, message: str
) -> None:
    client.force_login(editor)
    response = client.post(reverse("team_review_import", args=[team.slug]), {"reviews-file": upload(body)})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html and 'role="alert"' in html


def test_an_editor_adds_reads_again_and_removes_a_feed(client: Any, team: Any, editor: Any) -> None:
    client.force_login(editor)
    url = "http://127.0.0.1:8765/feeds/claimreview.json"
    response = client.post(reverse("team_review_feed_add", args=[team.slug]), {"feed-url": url}, follow=True)
    assert "Added http://127.0.0.1:8765/feeds/claimreview.json: it is read in a moment" in response.content.decode()
    feed = ReviewFeed.objects.get()
    ReviewFeed.objects.filter(pk=feed.pk).update(next_refresh_at=timezone.now() + timezone.timedelta(hours=3))

    response = client.post(reverse("team_review_feed_refresh", args=[team.slug, feed.pk]))
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.next_refresh_at is not None and feed.next_refresh_at <= timezone.now()

    response = client.post(reverse("team_review_feed_remove", args=[team.slug, feed.pk]), follow=True)
    assert "Stopped reading" in response.content.decode()
    assert not ReviewFeed.objects.exists()


def test_a_bad_feed_address_is_a_form_error_and_another_team_s_feed_is_missing(
    client: Any, team: Any, editor: Any, outsider: Any
) -> None:
    client.force_login(editor)
    response = client.post(reverse("team_review_feed_add", args=[team.slug]), {"feed-url": "http://10.1.2.3/f.json"})
    assert response.status_code == 400
    assert "public addresses only" in response.content.decode()
    response = client.post(reverse("team_review_feed_add", args=[team.slug]), {"feed-url": "not a link"})
    assert response.status_code == 400 and "Enter a valid URL" in response.content.decode()

    other_team = Membership.objects.get(user=outsider).team
    theirs = ReviewFeed.objects.create(team=other_team, url="https://feeds.example.org/theirs.json")
    response = client.post(reverse("team_review_feed_remove", args=[team.slug, theirs.pk]))
    assert response.status_code == 404
    assert ReviewFeed.objects.filter(pk=theirs.pk).exists()
