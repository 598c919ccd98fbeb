from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from annotations.models import Article, ClaimStatus, Team


def articles_for_dashboard(*, team: Team) -> QuerySet[Article]:
    """The team's articles, newest first, each annotated with its claim count per status."""
    counts = {
        f"claims_{status.value}": Count("claims", filter=Q(claims__status=status.value)) for status in ClaimStatus
    }
    return (
        Article.objects.filter(team=team)
        .defer("source", "text", "layout")
        .annotate(claims_total=Count("claims"), **counts)
        .order_by("-created_at", "-id")
    )
