"""POST /api/v1/captures/: a page captured in the reader's browser becomes an article (or a new revision).

Called by the browser extension with a personal API token, and by the workbench window the
bookmarklet opens, with the session and its CSRF token. The body is read with its own size limit
(CAPTURE_MAX_BYTES of HTML, refused on Content-Length before anything is read); NUL characters in
the page are dropped, anywhere else they are refused (annotations.capture).
"""

from __future__ import annotations

from typing import Any

import orjson
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy
from annotations.api.parsers import JSONParser, RequestTooLarge
from annotations.api.permissions import caller
from annotations.api.serializers.articles import ArticleOut, article_json
from annotations.api.serializers.common import Input, TextIn, id_in, url_in
from annotations.capture import MAX_SELECTION_CHARS, CaptureRefused, origin_of, read_capture
from annotations.errors import InvalidInput
from annotations.services.capture import PLACED, CaptureOutcome, article_capture

JSON_OVERHEAD = 1024 * 1024
"""Room in the body beyond the HTML for the other fields and JSON's escapes of the HTML."""


def capture_body_limit() -> int:
    """The largest request body read: an HTML of CAPTURE_MAX_BYTES, every character escaped, plus the rest."""
    return 2 * settings.CAPTURE_MAX_BYTES + JSON_OVERHEAD


class CaptureTooLarge(RequestTooLarge):
    def __init__(self) -> None:
        super().__init__(
            f"The captured page is larger than {settings.CAPTURE_MAX_BYTES / (1024 * 1024):g} MB; it was not kept."
        )


class CaptureJSONParser(JSONParser):
    """JSON with the capture's size limit. A NUL character in the page is dropped by read_capture,
    not refused here, since pages do carry them; everywhere else read_capture refuses it."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = capture_body_limit()
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise CaptureTooLarge()
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise CaptureTooLarge()
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
        return data


class PageHtmlIn(serializers.CharField):
    """The serialised page: any text, NUL characters included (read_capture drops them)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class SelectionIn(Input):
    exact = TextIn(max_length=MAX_SELECTION_CHARS, help_text="The text the reader selected, as the browser shows it.")
    prefix = TextIn(required=False, allow_blank=True, max_length=2000, help_text="Text just before the selection.")
    suffix = TextIn(required=False, allow_blank=True, max_length=2000, help_text="Text just after the selection.")


class CaptureIn(Input):
    """A page as the reader's browser shows it. The HTML's size and NUL characters are read_capture's
    (annotations.capture): at most CAPTURE_MAX_BYTES, NULs dropped."""

    team = id_in(help_text="The team the article goes to.")
    url = url_in(help_text="The page's address (location.href).")
    canonical_url = url_in(
        required=False, allow_blank=True, help_text="The canonical link the page states; kept only on its own site."
    )
    title = TextIn(required=False, allow_blank=True, max_length=2000)
    byline = TextIn(required=False, allow_blank=True, max_length=2000)
    published = TextIn(required=False, allow_blank=True, max_length=200, help_text="The date the page states.")
    html = PageHtmlIn(
        trim_whitespace=False, help_text="The rendered DOM, serialised (at most CAPTURE_MAX_BYTES in UTF-8)."
    )
    selection = SelectionIn(required=False, allow_null=True)
    page_origin = TextIn(
        required=False,
        max_length=300,
        help_text="The origin the page declared to the workbench window; it must be the URL's own.",
    )


class SelectionOut(serializers.Serializer):
    state = serializers.ChoiceField(choices=["none", "placed", "not_placed"])
    claim = serializers.IntegerField(allow_null=True)
    exact = serializers.CharField(allow_blank=True)
    prefix = serializers.CharField(allow_blank=True)
    suffix = serializers.CharField(allow_blank=True)


class CaptureOut(serializers.Serializer):
    action = serializers.ChoiceField(choices=["created", "revised", "unchanged", "kept"])
    article = ArticleOut()
    snapshot = serializers.IntegerField()
    sha256 = serializers.CharField()
    selection = SelectionOut()
    message = serializers.CharField(allow_blank=True)
    open_url = serializers.CharField(help_text="Where the reader goes next: the article's reading view.")


def capture_json(outcome: CaptureOutcome) -> dict[str, Any]:
    claim = outcome.claim
    return {
        "action": outcome.action,
        "article": article_json(outcome.article, full=False),
        "snapshot": outcome.snapshot.pk,
        "sha256": outcome.snapshot.sha256,
        "selection": {
            "state": outcome.selection,
            "claim": claim.pk if claim is not None and outcome.selection == PLACED else None,
            "exact": claim.exact if claim is not None else "",
            "prefix": claim.prefix if claim is not None else "",
            "suffix": claim.suffix if claim is not None else "",
        },
        "message": outcome.message,
        "open_url": reverse("article", args=[outcome.article.pk]),
    }


class CaptureCreate(APIView):
    """Bring in a page captured in the browser: extracted like a fetched page, kept as a snapshot,
    the selection marked as a claim. 413 for a page over CAPTURE_MAX_BYTES."""

    policy = {"POST": "article.create"}
    parser_classes = [CaptureJSONParser]

    @extend_schema(operation_id="captures_create", request=CaptureIn, responses={201: CaptureOut})
    def post(self, request: Request) -> Response:
        who = caller(request)
        data = request.data
        CaptureIn(data=data).is_valid(raise_exception=True)
        membership = who.membership(data["team"])
        if membership is None:
            raise InvalidInput("You are not a member of this team.", field="team")
        policy.check(action="article.create", membership=membership)
        policy.check(action="claim.create", membership=membership)
        try:
            capture = read_capture(data, max_html_bytes=settings.CAPTURE_MAX_BYTES)
        except CaptureRefused as exc:
            if exc.too_large:
                raise CaptureTooLarge() from exc
            raise InvalidInput(exc.message, field=exc.field) from exc
        declared = data.get("page_origin")
        if declared is not None and declared != origin_of(capture.url):
            raise InvalidInput("The page's address is not on the origin that sent it.", field="page_origin")
        user = who.acting_user()
        assert user is not None
        outcome = article_capture(team=membership.team, user=user, capture=capture)
        return Response(capture_json(outcome), status=201)
