"""Checked elsewhere: importing other fact-checkers' ClaimReview, and reading their feeds on a schedule."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from annotations import outbox
from annotations.errors import InvalidInput, NotAllowed
from annotations.models import AuditEvent, ExternalReview, ReviewFeed
from annotations.services.external_reviews import (
    external_review_delete,
    external_reviews_import,
    external_reviews_import_file,
    review_feed_add,
    review_feed_refresh,
    review_feed_refresh_now,
    review_feed_remove,
)
from tests.annotations.published_reviews import claim_review, data_commons_feed
from tests.annotations.review_feed_server import FeedServer, feed_server
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as state:
        yield state


@pytest.fixture(autouse=True)
def fetch_settings(settings: Any, server: FeedServer) -> Any:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.FETCH_EXTRA_PORTS = [server.port]
    settings.FETCH_TIMEOUT_SECONDS = 5.0
    settings.REVIEW_FEED_REFRESH_HOURS = 24.0
    return settings


def rows(team: Any) -> list[ExternalReview]:
    return list(ExternalReview.objects.filter(team=team).order_by("url"))


# --- Importing a document ------------------------------------------------------------------------


def test_an_import_keeps_each_review_and_marks_it_for_embedding(team: Any, editor: Any) -> None:
    outcome = external_reviews_import(
        team=team, user=editor, document=data_commons_feed(claim_review(1), claim_review(2))
    )

    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.skipped) == (2, 0, 0, [])
    first, _ = rows(team)
    assert first.url == "https://verificado.example.mx/plomo-1"
    assert first.publisher == "Verificado" and first.rating_text == "Falso" and first.language == "es"
    assert first.claimant == "Un senador" and first.claim_date == datetime.date(2024, 3, 1)
    assert first.wording == first.claim_reviewed and first.pending and first.queued_at is None
    assert first.imported_by == editor and first.feed is None
    assert first.data["@type"] == "ClaimReview"
    assert AuditEvent.objects.filter(team=team, action="external_reviews.import").exists()


def test_the_embed_task_is_queued_on_commit_for_new_reviews(
    team: Any, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        external_reviews_import(team=team, user=editor, document=[claim_review(1), claim_review(2)])
    [send] = callbacks
    assert send.func is outbox.send
    assert send.args == (outbox.EMBED_REVIEW, tuple(sorted(r.pk for r in rows(team))))


def test_importing_again_updates_by_review_url_and_re_embeds_only_a_changed_claim(team: Any, editor: Any) -> None:
    external_reviews_import(team=team, user=editor, document=[claim_review(1), claim_review(2), claim_review(3)])
    ExternalReview.objects.filter(team=team).update(pending=False, model="m")  # as if the worker embedded them

    again = [
        claim_review(1),  # the same
        claim_review(2, reviewRating={"alternateName": "Engañoso"}),  # a new rating
        claim_review(3, claimReviewed="Otra afirmación", url="https://verificado.example.mx/plomo-3?utm_source=x"),
    ]
    outcome = external_reviews_import(team=team, user=editor, document=again)

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 2, 1)
    one, two, three = rows(team)
    assert not one.pending and not two.pending and two.rating_text == "Engañoso"
    assert three.pending and three.wording == "Otra afirmación" == three.claim_reviewed


def test_the_same_url_in_two_teams_is_two_reviews(team: Any, editor: Any) -> None:
    other = TeamFactory()
    other_editor = MembershipFactory(team=other, user=UserFactory(), role="editor").user
    external_reviews_import(team=team, user=editor, document=claim_review(1))
    outcome = external_reviews_import(team=other, user=other_editor, document=claim_review(1))
    assert outcome.created == 1
    assert ExternalReview.objects.filter(url="https://verificado.example.mx/plomo-1").count() == 2


def test_reviewers_cannot_import_and_unreadable_documents_are_invalid_input(
    team: Any, reviewer: Any, editor: Any, outsider: Any
) -> None:
    for user in (reviewer, outsider):
        with pytest.raises(NotAllowed):
            external_reviews_import(team=team, user=user, document=claim_review())
    with pytest.raises(InvalidInput) as raised:
        external_reviews_import_file(team=team, user=editor, body=b"{not json")
    assert raised.value.field == "file" and "not JSON" in raised.value.message
    assert not ExternalReview.objects.exists()


def test_a_file_import_reads_json_lines_and_saved_pages(team: Any, editor: Any) -> None:
    lines = "\n".join(json.dumps(claim_review(n)) for n in (1, 2)).encode()
    assert external_reviews_import_file(team=team, user=editor, body=lines).created == 2
    page = f'<html><script type="application/ld+json">{json.dumps(claim_review(3))}</script></html>'.encode()
    assert external_reviews_import_file(team=team, user=editor, body=page, content_type="text/html").created == 1


def test_an_imported_review_can_be_removed_by_an_editor(team: Any, editor: Any, reviewer: Any) -> None:
    external_reviews_import(team=team, user=editor, document=claim_review())
    [review] = rows(team)
    with pytest.raises(NotAllowed):
        external_review_delete(review=review, user=reviewer)
    external_review_delete(review=review, user=editor)
    assert rows(team) == []


# --- Feeds -------------------------------------------------------------------------------------------


def test_adding_a_feed_stores_its_normal_url_due_now_and_a_second_add_returns_it(
    team: Any, editor: Any, server: FeedServer
) -> None:
    feed, created = review_feed_add(team=team, user=editor, url=f" {server.url('/feeds/es/?b=1')}\n")
    assert created and feed.url == server.url("/feeds/es/?b=1")
    assert feed.next_refresh_at is not None and feed.next_refresh_at <= timezone.now()
    assert outbox.due(outbox.REFRESH_FEED) == [feed.pk]
    again, created_again = review_feed_add(team=team, user=editor, url=server.url("/feeds/es/?b=1"))
    assert again.pk == feed.pk and not created_again


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://feeds.example.org/x", "Only http and https"),
        ("http://10.0.0.8/feed.json", "private"),
        ("https://feeds.example.org:8443/feed.json", "Port 8443"),
    ],
)
def test_a_feed_url_that_could_never_be_read_is_refused(team: Any, editor: Any, url: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        review_feed_add(team=team, user=editor, url=url)
    assert raised.value.field == "url" and message in raised.value.message


def test_reviewers_cannot_add_feeds(team: Any, reviewer: Any, server: FeedServer) -> None:
    with pytest.raises(NotAllowed):
        review_feed_add(team=team, user=reviewer, url=server.url("/feed.json"))


def test_reading_a_data_feed_imports_its_reviews_and_schedules_the_next_read(
    team: Any, editor: Any, server: FeedServer
) -> None:
    url = server.publish_json("/feed.json", data_commons_feed(claim_review(1), claim_review(2)))
    feed, _ = review_feed_add(team=team, user=editor, url=url)

    assert review_feed_refresh(feed_id=feed.pk) == "read"

    feed.refresh_from_db()
    assert feed.review_count == 2 and feed.last_error == ""
    assert feed.refreshed_at is not None and feed.next_refresh_at is not None
    assert abs(feed.next_refresh_at - feed.refreshed_at - datetime.timedelta(hours=24)) < datetime.timedelta(seconds=1)
    assert [r.feed_id for r in rows(team)] == [feed.pk, feed.pk]
    assert [r.imported_by for r in rows(team)] == [None, None]
    # Not due again until then: a second copy of the task leaves it alone.
    assert review_feed_refresh(feed_id=feed.pk) == "not due"
    assert server.hits["/feed.json"] == 1
    assert outbox.due(outbox.REFRESH_FEED) == []


def test_reading_a_page_takes_the_reviews_from_its_ld_json_and_notes_skipped_items(
    team: Any, editor: Any, server: FeedServer
) -> None:
    url = server.publish_page(
        "/checks/plomo/",
        {"@type": "WebSite", "name": "Verificado"},
        claim_review(1, url="/checks/plomo/"),
        [claim_review(2, claimReviewed="")],
    )
    feed, _ = review_feed_add(team=team, user=editor, url=url)
    assert review_feed_refresh(feed_id=feed.pk) == "read"
    feed.refresh_from_db()
    [review] = rows(team)
    assert review.url == server.url("/checks/plomo")
    assert feed.review_count == 1
    assert feed.last_error.startswith("Skipped 1 of 2 items; item 1: No claimReviewed")


def test_a_second_read_updates_the_reviews_and_keeps_those_the_feed_no_longer_lists(
    team: Any, editor: Any, server: FeedServer
) -> None:
    url = server.publish_json("/feed.json", data_commons_feed(claim_review(1), claim_review(2)))
    feed, _ = review_feed_add(team=team, user=editor, url=url)
    review_feed_refresh(feed_id=feed.pk)
    server.publish_json("/feed.json", data_commons_feed(claim_review(2, claimReviewed="Nueva redacción")))
    review_feed_refresh_now(feed=feed, user=editor)

    assert review_feed_refresh(feed_id=feed.pk) == "read"

    one, two = rows(team)
    assert two.claim_reviewed == "Nueva redacción" and two.pending
    assert one.claim_reviewed.startswith("El agua")
    feed.refresh_from_db()
    assert feed.review_count == 1


@pytest.mark.parametrize(
    ("page", "error", "retry_in"),
    [
        ((404, "text/plain", b"nope"), "404 Not Found", datetime.timedelta(hours=24)),
        ((503, "text/plain", b"busy"), "503 Service Unavailable", datetime.timedelta(hours=1)),
        ((200, "application/json", b"{oops"), "not JSON", datetime.timedelta(hours=24)),
        (
            (200, "application/json", b'{"@type": "Thing"}'),
            "No ClaimReview could be read",
            datetime.timedelta(hours=24),
        ),
    ],
)
def test_a_failed_read_is_recorded_and_tried_again_later(
    team: Any, editor: Any, server: FeedServer, page: tuple[int, str, bytes], error: str, retry_in: datetime.timedelta
) -> None:
    server.pages["/feed.json"] = page
    feed, _ = review_feed_add(team=team, user=editor, url=server.url("/feed.json"))

    assert review_feed_refresh(feed_id=feed.pk) in ("failed", "read")

    feed.refresh_from_db()
    assert error in feed.last_error
    assert feed.refreshed_at is not None and feed.next_refresh_at is not None
    assert abs(feed.next_refresh_at - feed.refreshed_at - retry_in) < datetime.timedelta(seconds=1)
    assert not ExternalReview.objects.exists()


def test_a_feed_on_a_private_address_is_refused_when_read(team: Any, editor: Any, settings: Any) -> None:
    feed = ReviewFeed.objects.create(team=team, url="http://127.0.0.2/feed.json", next_refresh_at=timezone.now())
    settings.FETCH_ALLOW_PRIVATE_HOSTS = []
    assert review_feed_refresh(feed_id=feed.pk) == "failed"
    feed.refresh_from_db()
    assert "Refused" in feed.last_error


def test_a_read_claims_the_feed_past_its_deadline_so_a_duplicate_task_waits(
    team: Any, editor: Any, server: FeedServer
) -> None:
    url = server.publish_json("/feed.json", claim_review())
    feed, _ = review_feed_add(team=team, user=editor, url=url)
    from annotations.services.external_reviews import _claim

    claimed = _claim(feed.pk)
    assert claimed is not None and claimed.next_refresh_at is not None
    assert claimed.next_refresh_at > timezone.now() + datetime.timedelta(seconds=10)  # FETCH_TIMEOUT_SECONDS × 2
    assert review_feed_refresh(feed_id=feed.pk) == "not due"
    assert outbox.due(outbox.REFRESH_FEED) == []
    # The worker that claimed it died: once the deadline passes, the sweep sends it again.
    assert outbox.due(outbox.REFRESH_FEED, now=claimed.next_refresh_at) == [feed.pk]


def test_removing_a_feed_removes_the_reviews_read_from_it_and_keeps_imported_ones(
    team: Any, editor: Any, reviewer: Any, server: FeedServer
) -> None:
    url = server.publish_json("/feed.json", [claim_review(1), claim_review(2)])
    feed, _ = review_feed_add(team=team, user=editor, url=url)
    review_feed_refresh(feed_id=feed.pk)
    external_reviews_import(team=team, user=editor, document=claim_review(3))
    with pytest.raises(NotAllowed):
        review_feed_remove(feed=feed, user=reviewer)

    assert review_feed_remove(feed=feed, user=editor) == 2

    assert [r.url[-1] for r in rows(team)] == ["3"]
    assert not ReviewFeed.objects.exists()
    assert review_feed_refresh(feed_id=feed.pk) == "gone"


def test_refresh_now_makes_the_feed_due_for_the_sweep(team: Any, editor: Any, server: FeedServer) -> None:
    url = server.publish_json("/feed.json", claim_review())
    feed, _ = review_feed_add(team=team, user=editor, url=url)
    review_feed_refresh(feed_id=feed.pk)
    assert outbox.due(outbox.REFRESH_FEED) == []
    review_feed_refresh_now(feed=feed, user=editor)
    assert outbox.due(outbox.REFRESH_FEED) == [feed.pk]


def test_an_import_costs_the_same_queries_for_5_or_100_reviews(
    team: Any, editor: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20) as few:
        external_reviews_import(team=team, user=editor, document=[claim_review(n) for n in range(5)])
    baseline = len(few.captured_queries)
    with django_assert_max_num_queries(baseline):
        external_reviews_import(team=team, user=editor, document=[claim_review(n) for n in range(5, 105)])
    changed = [claim_review(n, reviewRating={"alternateName": "Dudoso"}) for n in range(105)]
    with django_assert_max_num_queries(baseline + 1):  # and one bulk update
        assert external_reviews_import(team=team, user=editor, document=changed).updated == 105
