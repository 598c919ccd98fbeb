"""Values every W3C representation shares: times, and the IRIs of annotations and their targets."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import reverse
from rest_framework.request import Request

from annotations.models import Article

AnyRequest = Request | HttpRequest  # IRIs are absolute: only build_absolute_uri is used


def xsd_datetime(value: datetime) -> str:
    """xsd:dateTime in UTC with "Z", as the model requires (microseconds only when there are some)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def annotation_id(request: AnyRequest, article_id: int, claim_id: int) -> str:
    return request.build_absolute_uri(reverse("api-article-annotation", args=[article_id, claim_id]))


def canonical_id(request: AnyRequest, claim_id: int) -> str:
    """The IRI the workbench mints as the annotation's identity wherever it is copied: the claim's own."""
    return request.build_absolute_uri(reverse("api-claim-annotation", args=[claim_id]))


_NOT_IN_IRIS = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')


def iri(link: str) -> str:
    """A link as an IRI: a link kept as someone typed it may hold characters no IRI does (a space, a
    quote mark), which JSON-LD processors drop and Turtle cannot write; they are percent-encoded, as
    the fetcher does."""
    return _NOT_IN_IRIS.sub(lambda found: quote(found.group(), safe=""), link)


def article_target_source(request: AnyRequest, article: Article) -> str:
    return (
        iri(article.canonical_url)
        if article.canonical_url
        else request.build_absolute_uri(reverse("api-article", args=[article.pk]))
    )
