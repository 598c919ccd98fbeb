"""Reading a ClaimReview feed in a real `celery worker` (queue "fetch"), against a loopback feed server.

The worker is a separate process: it reads the test-only allowlist from the environment
(`worker_env`), which DJANGO_DEBUG=1 there permits.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from annotations import outbox
from annotations.models import ExternalReview, ReviewFeed
from annotations.services.external_reviews import review_feed_add, review_feed_refresh_now
from tests.annotations.published_reviews import claim_review, data_commons_feed
from tests.annotations.review_feed_server import FeedServer, feed_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as state:
        yield state


@pytest.fixture
def worker_env(worker_env: dict[str, str], server: FeedServer, settings: Any) -> dict[str, str]:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.FETCH_EXTRA_PORTS = [server.port]
    return {**worker_env, "FETCH_ALLOW_PRIVATE_HOSTS": "127.0.0.1", "FETCH_EXTRA_PORTS": str(server.port)}


def wait_for_read(feed: ReviewFeed, after: Any = None, timeout: float = 60) -> ReviewFeed:
    """Poll the feed until the worker has read it, sweeping the outbox every second as beat would."""
    deadline = time.monotonic() + timeout
    swept = 0.0
    while time.monotonic() < deadline:
        feed.refresh_from_db()
        if feed.refreshed_at is not None and (after is None or feed.refreshed_at > after):
            return feed
        if time.monotonic() - swept > 1:
            outbox.sweep()
            swept = time.monotonic()
        time.sleep(0.2)
    raise AssertionError(f"the feed was not read within {timeout} s")


def test_adding_a_feed_queues_a_read_that_imports_its_reviews(team, editor, server, celery_worker) -> None:
    url = server.publish_json("/feed.json", data_commons_feed(claim_review(1), claim_review(2)))
    feed, _ = review_feed_add(team=team, user=editor, url=url)

    feed = wait_for_read(feed)

    assert feed.last_error == "" and feed.review_count == 2
    assert ExternalReview.objects.filter(team=team, feed=feed).count() == 2
    # The same worker embeds them (queue "embed"), so matching can find them.
    deadline = time.monotonic() + 60
    while ExternalReview.objects.filter(team=team, pending=True).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not ExternalReview.objects.filter(team=team, vector__isnull=True).exists()

    server.publish_json("/feed.json", data_commons_feed(claim_review(1), claim_review(2), claim_review(3)))
    review_feed_refresh_now(feed=feed, user=editor)
    feed = wait_for_read(feed, after=feed.refreshed_at)

    assert feed.review_count == 3 and server.hits["/feed.json"] == 2
    assert ExternalReview.objects.filter(team=team).count() == 3
