from __future__ import annotations

from typing import Any

from rest_framework import serializers

from annotations.anchoring import ReaderDocument, render_reading_html
from annotations.models import Article, SourceFormat


def reading_html(article: Article) -> str:
    """The article body as the reading view shows it (escaped by the renderer), for pages that follow revisions."""
    return render_reading_html(ReaderDocument.from_json(article.layout)) if article.layout else ""


def article_json(article: Article, *, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": article.pk,
        "team": article.team_id,
        "title": article.title,
        "canonical_url": article.canonical_url,
        "publisher": article.publisher,
        "authors": list(article.authors),
        "published_on": article.published_on,
        "language": article.language,
        "source_format": article.source_format,
        "revision": article.revision,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
    }
    if full:
        data["text"] = article.text
        data["layout"] = article.layout
        data["reading_html"] = reading_html(article)
    return data


class ArticleOut(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.IntegerField()
    title = serializers.CharField()
    canonical_url = serializers.CharField(allow_blank=True)
    publisher = serializers.CharField(allow_blank=True)
    authors = serializers.ListField(child=serializers.CharField())
    published_on = serializers.DateField(allow_null=True)
    language = serializers.CharField(allow_blank=True)
    source_format = serializers.ChoiceField(choices=SourceFormat.choices)
    revision = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ArticleDetailOut(ArticleOut):
    text = serializers.CharField(allow_blank=True, help_text="Reader-visible text; offsets are code points.")
    layout = serializers.DictField(help_text="Blocks and inline marks over `text`.")
    reading_html = serializers.CharField(help_text="The body as the reading view renders it (escaped HTML).")


class ArticleReviseIn(serializers.Serializer):
    """A new revision of the article's text, against the revision the writer read."""

    revision = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="The revision you read (or If-Match)."
    )
    source = serializers.CharField(trim_whitespace=False, max_length=5_000_000)  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    source_format = serializers.ChoiceField(choices=SourceFormat.choices)


class ArticleCreateIn(serializers.Serializer):
    """From text (`source` + `source_format`) or from a page's address (`url`)."""

    team = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    url = serializers.CharField(required=False, max_length=2000, help_text="Import the page at this address.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    source = serializers.CharField(required=False, trim_whitespace=False, max_length=5_000_000)  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    source_format = serializers.ChoiceField(choices=SourceFormat.choices, required=False)
    canonical_url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    publisher = serializers.CharField(required=False, allow_blank=True, max_length=200)
    authors = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)
    published_on = serializers.DateField(required=False, allow_null=True)
    language = serializers.CharField(required=False, allow_blank=True, max_length=35)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "url" in attrs:
            if "source" in attrs:
                raise serializers.ValidationError({"url": ["Give either url or source, not both."]})
            return attrs
        missing = {name: ["This field is required."] for name in ("source", "source_format") if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs
