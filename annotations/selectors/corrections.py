from __future__ import annotations

from django.db.models import QuerySet

from annotations.models import Team, Verdict


def corrections_for_team(*, team: Team) -> QuerySet[Verdict]:
    """The team's published corrections, newest first, each with the verdict it replaced."""
    return (
        Verdict.objects.filter(team=team, corrects__isnull=False, published_at__isnull=False)
        .select_related("rating", "corrects__rating", "claim__article")
        .only(
            "summary", "correction_note", "published_at", "rating__label", "rating__color",
            "corrects__summary", "corrects__published_at", "corrects__rating__label", "corrects__rating__color",
            "claim__exact", "claim__claimant", "claim__article__title", "claim__article__canonical_url",
        )
        .order_by("-published_at", "-id")
    )  # fmt: skip
