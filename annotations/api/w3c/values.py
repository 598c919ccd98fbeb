"""Values every W3C representation shares: times, and the IRIs of annotations and their targets."""

from __future__ import annotations

from datetime import UTC, datetime

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


def article_target_source(request: AnyRequest, article: Article) -> str:
    return article.canonical_url or request.build_absolute_uri(reverse("api-article", args=[article.pk]))
