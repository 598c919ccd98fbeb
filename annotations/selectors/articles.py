from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from annotations.anchoring import reader_document
from annotations.models import Article, ClaimStatus, Team

ARTICLES_PER_PAGE = 25
MAX_TITLE_LENGTH = 500


def _matching(*, team: Team, query: str) -> QuerySet[Article]:
    articles = Article.objects.filter(team=team)
    query = query.strip()
    if query:
        articles = articles.filter(
            Q(title__icontains=query) | Q(canonical_url__icontains=query) | Q(publisher__icontains=query)
        )
    return articles


def articles_for_dashboard(*, team: Team, query: str = "") -> QuerySet[Article]:
    """The team's articles, newest first, each annotated with its claim count per status.

    `query` keeps those whose title, address or publisher contains it, ignoring case.
    """
    counts = {
        f"claims_{status.value}": Count("claims", filter=Q(claims__status=status.value)) for status in ClaimStatus
    }
    return (
        _matching(team=team, query=query)
        .defer("source", "text", "layout")
        .annotate(claims_total=Count("claims"), **counts)
        .order_by("-created_at", "-id")
    )


def article_page(*, team: Team, query: str = "", number: int = 1, per_page: int = ARTICLES_PER_PAGE) -> Page:
    """One page of the dashboard's article list (a number past the end gives the last page).

    Two queries: the count of matching articles, and the page's rows with their claim counts.
    """
    paginator = Paginator(articles_for_dashboard(team=team, query=query), per_page)
    # Counted without the per-status aggregates the rows carry.
    paginator.count = _matching(team=team, query=query).count()
    return paginator.get_page(number)


def article_title_from_source(*, source: str, source_format: str) -> str:
    """The article's first heading, as the reader shows it ("" when it has none): the title an
    article pasted or uploaded without one takes."""
    try:
        document = reader_document(source, source_format)
    except ValueError:
        return ""
    for block in document.blocks:
        if block.kind == "heading":
            heading = " ".join(document.text[block.start : block.end].split())
            if heading:
                return heading[:MAX_TITLE_LENGTH]
    return ""
