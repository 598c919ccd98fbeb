"""`{% article_provenance article %}`: how the article's text came in, for the reading view and public pages."""

from __future__ import annotations

from django import template
from django.utils import timezone

from annotations.capture import provenance_sentence
from annotations.models import Article

register = template.Library()


@register.simple_tag
def article_provenance(article: Article, public: bool = False) -> str:
    """The sentence, escaped by the template. Public pages do not name the person."""
    when = article.origin_at or article.created_at
    by = ""
    if not public and article.origin_by_id is not None:
        by = article.origin_by.get_username() if article.origin_by is not None else ""
    return provenance_sentence(
        origin=article.origin,
        by=by,
        on=timezone.localtime(when).date() if when else None,
        url=(article.canonical_url or article.origin_url) if public else (article.origin_url or article.canonical_url),
    )
