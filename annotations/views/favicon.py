"""The site's icon: browsers ask for /favicon.ico whatever the pages link; it is an SVG among the static files."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static

from annotations import policy


@policy.performs(GET="site.asset")
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(static("favicon.svg"))
