"""The preserved copy of a cited report: its raw bytes, sandboxed, and its extracted text, escaped."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from annotations import policy
from annotations.models import Snapshot

INLINE_TYPES = frozenset({"application/pdf", "text/plain"})


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
        as_attachment=media_type not in INLINE_TYPES,
        filename=_filename(snapshot),
        content_type=content_type,
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response


@policy.performs(GET="snapshot.read")
def snapshot_text(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = policy.snapshot_for(request, snapshot_id)
    return render(request, "annotations/snapshot_text.html", {"snapshot": snapshot, "team": snapshot.team})


def _filename(snapshot: Snapshot) -> str:
    name = posixpath.basename(urlsplit(snapshot.final_url or snapshot.url).path) or "index"
    extension = posixpath.splitext(snapshot.body.name)[1]
    if extension and not name.endswith(extension):
        name += extension
    return f"snapshot-{snapshot.pk}-{name}"[:150]
