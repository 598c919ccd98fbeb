"""Pages of the browser capture: "Send to workbench" (the bookmarklet, the extension and a token for
it), the workbench window the bookmarklet opens, and the extension's download."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from annotations import policy
from annotations.capture import origin_of
from annotations.capture.browser import bookmarklet_source, bookmarklet_url, extension_files, extension_zip
from annotations.services.api_keys import api_token_create

FRONTEND = Path(settings.BASE_DIR) / "frontend"
CAPTURE_JS = FRONTEND / "js" / "capture-page.js"
BOOKMARKLET_JS = FRONTEND / "js" / "bookmarklet.js"
EXTENSION_DIR = FRONTEND / "extension"


def workbench_origin(request: HttpRequest) -> str:
    return origin_of(request.build_absolute_uri("/"))


def team_bookmarklet(request: HttpRequest, team_slug: str) -> str:
    """The bookmarklet's `javascript:` URL for this workbench and team."""
    origin = workbench_origin(request)
    return bookmarklet_url(
        bookmarklet_source(
            capture_js=CAPTURE_JS.read_text(encoding="utf-8"),
            bookmarklet_js=BOOKMARKLET_JS.read_text(encoding="utf-8"),
            origin=origin,
            window_url=origin + reverse("capture_window", args=[team_slug]),
            max_bytes=settings.CAPTURE_MAX_BYTES,
        )
    )


@policy.performs(GET="article.create", POST="article.create")
def send_to_workbench(request: HttpRequest, team_slug: str) -> HttpResponse:
    """The bookmarklet to drag to the bookmarks bar, the extension to install, and a token for it
    (a personal token, like those of `POST /api/v1/tokens/`, created here for adding articles)."""
    membership = policy.membership_for(request, team_slug=team_slug)
    issued = None
    if request.method == "POST":
        assert isinstance(request.user, User)
        issued = api_token_create(user=request.user, name=f"Browser extension ({membership.team.name})"[:100])
    return render(
        request,
        "capture/send.html",
        {
            "team": membership.team,
            "bookmarklet": team_bookmarklet(request, team_slug),
            "issued": issued,
            "workbench": workbench_origin(request),
            "max_mb": f"{settings.CAPTURE_MAX_BYTES / (1024 * 1024):g}",
        },
        # A new token is shown once, on the page that answers its POST: 201, as something was made.
        status=201 if issued else 200,
    )


@policy.performs(GET="article.create")
def capture_window(request: HttpRequest, team_slug: str) -> HttpResponse:
    """The window the bookmarklet opens: it takes the capture from the page by postMessage and sends it."""
    membership = policy.membership_for(request, team_slug=team_slug)
    declared = request.GET.get("origin", "")
    valid = declared.startswith(("http://", "https://")) and origin_of(declared) == declared
    response = render(
        request,
        "capture/window.html",
        {
            "team": membership.team,
            "declared": declared if valid else "",
            "capture_settings": {
                "origin": declared,
                "nonce": secrets.token_urlsafe(24),
                "team": membership.team.pk,
                "api": reverse("api-captures"),
            },
        },
        status=200 if valid else 400,
    )
    # The page that opened this window must stay its opener, for the handshake.
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    response["Referrer-Policy"] = "no-referrer"
    return response


@policy.performs(GET="article.create")
def extension_download(request: HttpRequest, team_slug: str) -> HttpResponse:
    """The browser extension for this workbench and team, as a zip to unpack and load."""
    membership = policy.membership_for(request, team_slug=team_slug)
    files = extension_files(
        extension_dir=EXTENSION_DIR,
        capture_js=CAPTURE_JS,
        origin=workbench_origin(request),
        team_id=membership.team.pk,
    )
    response = HttpResponse(extension_zip(files), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="workbench-capture-extension.zip"'
    return response
