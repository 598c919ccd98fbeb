"""A database that is down or restarting answers 503 with Retry-After, never a 500.

API views get their 503 from the API's exception handler (annotations.api.errors), in the API's
error shape. Everything else lands here: a view or template that could not reach PostgreSQL
(process_exception), or a middleware further in that could not (saving the session), which
Django has already turned into a 500 by the time it gets here. Pages get a short "try again"
page, API paths the JSON error shape.

Nothing needs resetting when PostgreSQL comes back: Django discards a connection that failed
(`errors_occurred`) at the end of the request, and CONN_HEALTH_CHECKS tests a kept one before
reusing it, so the next request connects afresh.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from annotations.api.errors import DATABASE_DOWN_MESSAGE, DATABASE_RETRY_AFTER, error_body

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
_FLAG = "_workbench_database_unavailable"


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503: JSON in the API's error shape under /api/, else a page (rendered without the database)."""
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        body = error_body(status_code=503, code="database_unavailable", message=DATABASE_DOWN_MESSAGE)
        response = JsonResponse(body, status=503)
    else:
        html = render_to_string("503.html", {"retry_after": DATABASE_RETRY_AFTER})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _FLAG, False):
            return database_unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable, answering 503 to %s %s: %s", request.method, request.path, exception)
            return database_unavailable(request)
        return None


def _flag_database_errors(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Sent while Django turns an exception into a 500 (the exception is the one being handled)."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        setattr(request, _FLAG, True)


got_request_exception.connect(_flag_database_errors, dispatch_uid="workbench-database-unavailable")


def client_address(request: HttpRequest) -> str | None:
    """Behind the TLS proxy: the address the proxy saw, the last entry it added to X-Forwarded-For.

    Entries before it come from the client and may be anything, so only the last one is trusted.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last or request.META.get("REMOTE_ADDR")


class ApiNotFoundMiddleware:
    """A path under /api/ that no route matches answers the API's JSON error, not Django's HTML page.

    It sits outside CommonMiddleware, so a path that only lacks its trailing slash is still
    redirected (APPEND_SLASH) before a 404 reaches it; the API's own 404s are JSON already.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path_info.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            body = error_body(status_code=404, code="not_found", message="No such API path.")
            return JsonResponse(body, status=404)
        return response
