"""annotations.selectors.reading: the reading view's HTML, rendered once per revision."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Article
from annotations.selectors.reading import reading_html
from annotations.services.articles import article_revise
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reading-tests"}}


@pytest.fixture(autouse=True)
def own_cache(settings: Any) -> None:
    settings.CACHES = LOCMEM
    cache.clear()


def _texts_deferred(article: Article) -> Article:
    return Article.objects.defer("source", "text", "layout").get(pk=article.pk)


def test_a_revision_is_rendered_once_and_then_served_without_reading_its_layout() -> None:
    article = ArticleFactory(source="The council approved a **flood wall**.")
    first = reading_html(article=_texts_deferred(article))
    assert first.revision == 1 and "<strong>flood wall</strong>" in first.html
    again = _texts_deferred(article)
    with CaptureQueriesContext(connection) as queries:
        second = reading_html(article=again)
    assert second == first
    assert len(queries) == 0  # neither the layout read nor a render


def test_a_new_revision_has_its_own_html() -> None:
    article = ArticleFactory(source="The council approved a flood wall.")
    before = reading_html(article=_texts_deferred(article))
    article_revise(
        article=article, user=None, source="The council rejected the *flood wall*.", source_format="markdown"
    )
    after = reading_html(article=_texts_deferred(article))
    assert after.revision == 2 and "rejected" in after.html and "<em>flood wall</em>" in after.html
    assert before.revision == 1 and "approved" in before.html


def test_a_revision_saved_in_between_is_never_kept_under_the_old_number() -> None:
    """The page read revision 1; revision 2 was saved before the HTML was: the HTML is revision 2's,
    says so, and is kept under 2 only."""
    article = ArticleFactory(source="The council approved a flood wall.")
    stale = _texts_deferred(article)
    article_revise(article=article, user=None, source="The council rejected it.", source_format="markdown")
    found = reading_html(article=stale)
    assert found.revision == 2 and "rejected" in found.html
    stale_again = _texts_deferred(article)
    stale_again.revision, stale_again.updated_at = stale.revision, stale.updated_at
    with CaptureQueriesContext(connection) as queries:
        assert reading_html(article=stale_again).revision == 2  # 1 was not kept: read afresh
    assert len(queries) == 1


def test_an_article_id_used_again_never_meets_the_html_kept_for_an_older_row() -> None:
    """A database reset hands out article ids again while the cache remembers: the row's last save
    tells them apart."""
    article = ArticleFactory(source="The council approved a flood wall.")
    reading_html(article=_texts_deferred(article))
    Article.objects.filter(pk=article.pk).update(updated_at=article.updated_at.replace(year=2031))
    again = _texts_deferred(article)
    with CaptureQueriesContext(connection) as queries:
        reading_html(article=again)
    assert len(queries) == 1  # not served from the older row's entry


def test_an_unreachable_cache_renders_afresh(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    article = ArticleFactory(source="The council approved a flood wall.")
    found = reading_html(article=_texts_deferred(article))
    assert found.revision == 1 and "approved" in found.html
