from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from annotations.models import Article, Claim, Verdict


def claims_for_article(*, article: Article) -> QuerySet[Claim]:
    """The article's claims in document order (orphans last), with their current verdict."""
    current = Verdict.objects.filter(is_current=True).select_related("rating")
    return (
        Claim.objects.filter(article=article, team_id=article.team_id)
        .select_related("assignee")
        .prefetch_related(Prefetch("verdicts", queryset=current, to_attr="current_verdicts"))
        .order_by("start", "id")
    )
