"""The preserved copy of a cited report: its raw bytes, sandboxed, its WARC, and its extracted text, escaped."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from annotations import policy
from annotations.archiving.warc import snapshot_warc_name
from annotations.extraction import page_starts
from annotations.models import Snapshot
from annotations.views.ranges import ranged_file

INLINE_TYPES = frozenset({"application/pdf", "text/plain", "text/html", "application/xhtml+xml"})
# Opened in the browser, a stored copy runs no script and loads nothing: never the live web.
COPY_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src data:; font-src data:"
_LINE = re.compile(r"[^\n]+")


@policy.performs(GET="snapshot.read")
def snapshot_copy(request: HttpRequest, snapshot_id: int) -> FileResponse:
    """The bytes exactly as fetched. Sandboxed and never sniffed, so a hostile page cannot run as ours."""
    snapshot = policy.snapshot_for(request, snapshot_id)
    if not snapshot.body.name:
        raise Http404("This snapshot has no stored copy.")
    try:
        handle = default_storage.open(snapshot.body.name, "rb")
    except FileNotFoundError as exc:
        raise Http404("The stored copy is missing.") from exc
    content_type = snapshot.content_type or "application/octet-stream"
    media_type = content_type.split(";", 1)[0].strip().lower()
    response = FileResponse(
        handle,
        as_attachment=media_type not in INLINE_TYPES or "download" in request.GET,
        filename=_filename(snapshot),
        content_type=content_type,
    )
    response["Content-Security-Policy"] = COPY_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response


@policy.performs(GET="snapshot.read")
def snapshot_warc(request: HttpRequest, snapshot_id: int) -> HttpResponseBase:
    """The fetch as WARC records (every hop's request and response), for web-archive tools."""
    snapshot = policy.snapshot_for(request, snapshot_id)
    if not snapshot.warc.name:
        raise Http404("This snapshot has no WARC.")
    try:
        handle = default_storage.open(snapshot.warc.name, "rb")
    except FileNotFoundError as exc:
        raise Http404("The WARC is missing.") from exc
    response = ranged_file(
        request,
        handle,
        size=snapshot.warc.size,
        filename=snapshot_warc_name(snapshot.pk),
        content_type="application/warc",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@policy.performs(GET="snapshot.read")
def snapshot_text(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    """The extracted text, line by line, each line knowing its code point offset (and, for a PDF, by
    page), so that a W3C TextPositionSelector in the address's fragment can highlight a passage."""
    snapshot = policy.snapshot_for(request, snapshot_id)
    context = {"snapshot": snapshot, "team": snapshot.team, "pages": _text_pages(snapshot)}
    return render(request, "annotations/snapshot_text.html", context)


@dataclass(frozen=True)
class TextPage:
    number: int | None
    lines: list[tuple[int, str]]


def _text_pages(snapshot: Snapshot) -> list[TextPage]:
    text = snapshot.text
    starts = page_starts(snapshot.pages or [], len(text))
    bounds = list(zip(starts or [0], [*starts[1:], len(text)] if starts else [len(text)], strict=True))
    return [
        TextPage(
            number=index + 1 if starts else None,
            lines=[(line.start(), line.group()) for line in _LINE.finditer(text, start, stop)],
        )
        for index, (start, stop) in enumerate(bounds)
    ]


def _filename(snapshot: Snapshot) -> str:
    name = posixpath.basename(urlsplit(snapshot.final_url or snapshot.url).path) or "index"
    extension = posixpath.splitext(snapshot.body.name)[1]
    if extension and not name.endswith(extension):
        name += extension
    return f"snapshot-{snapshot.pk}-{name}"[:150]
