import hashlib

import pytest

from annotations.models import AuditEvent
from annotations.services.articles import article_create

pytestmark = pytest.mark.django_db


def test_article_keeps_the_source_and_derives_reader_text(team):
    source = "Prices rose **12%** in *2025*, says the \\$ report.\r\n\r\nSecond paragraph."
    article = article_create(team=team, user=None, title="T", source=source, source_format="markdown")
    assert article.source == source
    assert "**" not in article.text and "*" not in article.text and "\r" not in article.text
    assert "Prices rose 12% in 2025, says the $ report." in article.text
    assert article.content_hash == hashlib.sha256(article.text.encode()).hexdigest()
    assert article.revision == 1
    assert AuditEvent.objects.filter(action="article.create", target_id=article.pk).exists()


def test_article_url_is_normalized(team):
    article = article_create(
        team=team,
        user=None,
        title="T",
        source="Text.",
        source_format="text",
        canonical_url="HTTPS://Example.ORG/story/?utm_source=x&b=2&a=1",
    )
    assert article.canonical_url == "https://example.org/story?a=1&b=2"


def test_empty_article_is_refused(team):
    with pytest.raises(ValueError, match="no readable text"):
        article_create(team=team, user=None, title="T", source="  \n\n ", source_format="text")
