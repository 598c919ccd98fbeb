"""Other fact-checkers' reviews a team imported, and the feeds it reads them from."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from annotations.models import ExternalReview, ReviewFeed, Team


def review_feeds_of_team(*, team: Team) -> QuerySet[ReviewFeed]:
    """The team's feeds, each with `stored`: how many of its reviews the team keeps."""
    return ReviewFeed.objects.filter(team=team).annotate(stored=Count("reviews", filter=Q(reviews__team=team)))


def external_reviews_of_team(*, team: Team, feed_id: int | None = None) -> QuerySet[ExternalReview]:
    """The team's imported reviews (the `data` as imported left unread), optionally those of one feed."""
    reviews = ExternalReview.objects.filter(team=team).defer("data", "vector")
    if feed_id is not None:
        reviews = reviews.filter(feed_id=feed_id)
    return reviews


def external_review_counts(*, team: Team) -> dict[str, Any]:
    """How many reviews the team imported, and how many of them still wait for their meaning vector."""
    return ExternalReview.objects.filter(team=team).aggregate(
        total=Count("id"), pending=Count("id", filter=Q(pending=True))
    )
