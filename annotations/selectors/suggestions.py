"""Reading claim suggestions: an article's open ones, best first, minus the spans marked since."""

from __future__ import annotations

from typing import Any

from django.db.models import BigIntegerField, Exists, ExpressionWrapper, F, OuterRef, QuerySet
from django.db.models.functions import Greatest, Least

from annotations.models import Article, Claim, Suggestion, SuggestionStatus


def _number(expression: Any) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=BigIntegerField())


def _marked_since() -> Exists:
    """A claim of the suggestion's article that covers it: they share at least half of the shorter
    span (annotations.suggestions.overlaps_enough, in SQL)."""
    start, end = _number(OuterRef("start")), _number(OuterRef("end"))
    overlap = _number(Least(F("end"), end) - Greatest(F("start"), start))
    shorter = Least(_number(F("end") - F("start")), _number(end - start))
    claims = (
        Claim.objects.filter(article_id=OuterRef("article_id"), start__lt=OuterRef("end"), end__gt=OuterRef("start"))
        .alias(twice_overlap=overlap * 2, shorter=shorter)
        .filter(twice_overlap__gte=F("shorter"))
    )
    return Exists(claims)


def article_suggestions(*, article: Article) -> QuerySet[Suggestion]:
    """The article's open suggestions that are no claim yet; none while its team has them off."""
    if not article.team.suggestions_enabled:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(
        article=article, team_id=article.team_id, status=SuggestionStatus.OPEN, start__isnull=False
    ).exclude(_marked_since())
