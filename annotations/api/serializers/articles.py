from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from annotations.anchoring import ReaderDocument, render_reading_html
from annotations.api.serializers.common import (
    AbsentIn,
    ChoiceIn,
    DateIn,
    ErrorOut,
    Input,
    LastChangeOut,
    TextIn,
    id_in,
    url_in,
    version_in,
)
from annotations.models import Article, ArticleOrigin, SourceFormat


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
        "wacz_url": reverse("article_wacz", args=[article.pk]),
        "provenance": {
            "origin": article.origin,
            "by": article.origin_by_id,
            "at": article.origin_at,
            "url": article.origin_url,
            "snapshot": article.origin_snapshot_id,
        },
    }
    if full:
        data["text"] = article.text
        data["layout"] = article.layout
        data["reading_html"] = reading_html(article)
    return data


class ProvenanceOut(serializers.Serializer):
    """How the article's current text came in: pasted, uploaded, fetched by the server or captured in a browser."""

    origin = serializers.ChoiceField(choices=ArticleOrigin.choices)
    by = serializers.IntegerField(allow_null=True, help_text="The user who brought it in.")
    at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(allow_blank=True, help_text="The page it was fetched or captured from.")
    snapshot = serializers.IntegerField(
        allow_null=True, help_text="The stored copy of that page (captured in a browser or fetched by the server)."
    )


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
    wacz_url = serializers.CharField(
        help_text="The preserved copies of every claim's sources as one WACZ web archive (404 while none is preserved)."
    )
    provenance = ProvenanceOut()


class ArticleDetailOut(ArticleOut):
    text = serializers.CharField(allow_blank=True, help_text="Reader-visible text; offsets are code points.")
    layout = serializers.DictField(help_text="Blocks and inline marks over `text`.")
    reading_html = serializers.CharField(help_text="The body as the reading view renders it (escaped HTML).")


class ArticleConflictOut(ErrorOut):
    """A revision refused because the text was revised since: the article now and who revised it."""

    current = ArticleOut(required=False, help_text="When the revision you sent is stale: the article as it is now.")
    last_change = LastChangeOut(
        required=False, allow_null=True, help_text="When the revision you sent is stale: the revision since."
    )


class ArticleReviseIn(Input):
    """A new revision of the article's text, against the revision the writer read."""

    revision = version_in(help_text='The revision you read (or send it as `If-Match: "<revision>"` instead).')
    source = TextIn(trim_whitespace=False, max_length=5_000_000)  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    source_format = ChoiceIn(choices=SourceFormat.choices)


class ArticleFromTextIn(Input):
    """An article from its text: `source` in `source_format`."""

    team = id_in()
    url = AbsentIn("Give either url or source, not both.")
    title = TextIn(required=False, allow_blank=True, max_length=500)
    source = TextIn(trim_whitespace=False, max_length=5_000_000)  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    source_format = ChoiceIn(choices=SourceFormat.choices)
    canonical_url = url_in(required=False, allow_blank=True)
    publisher = TextIn(required=False, allow_blank=True, max_length=200)
    authors = serializers.ListField(child=TextIn(max_length=200), required=False, max_length=50)
    published_on = DateIn(required=False, allow_null=True)
    language = TextIn(required=False, allow_blank=True, max_length=35)


class ArticleFromUrlIn(Input):
    """An article imported from the page at `url`: fetched now, its main text extracted."""

    team = id_in()
    url = url_in(help_text="Import the page at this address.")
    title = TextIn(required=False, allow_blank=True, max_length=500)
    source = AbsentIn("Give either url or source, not both.")  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    source_format = AbsentIn("The format is the page's own: send it with source, not with url.")


def article_create_input(data: Any) -> Input:
    """The input serializer of a new article: from a URL when the body has one, else from text."""
    return (ArticleFromUrlIn if isinstance(data, dict) and "url" in data else ArticleFromTextIn)(data=data)


ArticleCreateIn = PolymorphicProxySerializer(
    component_name="ArticleCreateIn",
    serializers=[ArticleFromTextIn, ArticleFromUrlIn],
    resource_type_field_name=None,
)
