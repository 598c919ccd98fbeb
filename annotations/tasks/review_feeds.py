"""Reading other fact-checkers' ClaimReview feeds, on the "fetch" queue: one thin task per feed."""

from __future__ import annotations

from celery import shared_task

from annotations import outbox
from annotations.services.external_reviews import review_feed_refresh
from annotations.services.snapshots import fetch_time_limits

_SOFT_LIMIT, _HARD_LIMIT = fetch_time_limits()


@shared_task(
    name=outbox.REFRESH_FEED,
    queue=outbox.queue_of(outbox.REFRESH_FEED),
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=_SOFT_LIMIT,
    time_limit=_HARD_LIMIT,
    ignore_result=True,
)
def refresh_review_feed(feed_id: int) -> str:
    """Safe to run again (acks_late): a feed is read only when its next read is due, and the read moves
    that time past its own deadline first; the outbox sweep sends the scheduled reads."""
    return review_feed_refresh(feed_id=feed_id)
