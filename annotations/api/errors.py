"""One error shape for the whole API: {"error": {"status", "code", "message", "fields"}}.

Service errors map to 400 (InvalidInput), 403 (NotAllowed) and 409 (Conflict); a missing object
or another team's object to 404, so its existence does not leak. A stale claim version (409)
(claim or article) also carries the object as it is now under "current" and the other person's
change under "last_change"; a write without the version it read is a 428. A database that is down
or restarting is a 503 with Retry-After (the request saved nothing that was not already committed).

Messages never repeat input that is not valid text: unpaired surrogates and NUL characters are
replaced, long messages are cut, and DRF's messages that quote a rejected choice or id do not.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from annotations.errors import Conflict, InvalidInput, NotAllowed, ServiceError
from annotations.validation import replace_unpaired_surrogates

logger = logging.getLogger(__name__)

DATABASE_RETRY_AFTER = 10
"""Seconds a client is asked to wait when the database is down (most restarts take less)."""
DATABASE_DOWN_MESSAGE = "The database is not available right now. Try again in a few seconds."
MAX_MESSAGE_LENGTH = 500
# DRF messages that quote the rejected input, said without it.
_WITHOUT_INPUT = {
    "invalid_choice": "Not one of the allowed choices.",
    "does_not_exist": "No such object.",
}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you read it (its ETag no longer matches)."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag you last read."
    default_code = "precondition_required"


class NotAvailable(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Not available."
    default_code = "not_available"


_SERVICE_STATUS: tuple[tuple[type[ServiceError], int, str], ...] = (
    (InvalidInput, 400, "invalid"),
    (NotAllowed, 403, "permission_denied"),
    (Conflict, 409, "conflict"),
)


def error_body(*, status_code: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"status": status_code, "code": code, "message": message, "fields": fields or {}}}


def safe_message(text: Any) -> str:
    """A message fit to send back: valid text without NULs, at most MAX_MESSAGE_LENGTH long."""
    text = replace_unpaired_surrogates(str(text)).replace("\x00", "\ufffd")
    if len(text) > MAX_MESSAGE_LENGTH:
        text = text[: MAX_MESSAGE_LENGTH - 1] + "…"
    return text


def _detail_message(item: Any) -> str:
    return _WITHOUT_INPUT.get(str(getattr(item, "code", ""))) or safe_message(item)


def database_unavailable_response() -> Response:
    body = error_body(status_code=503, code="database_unavailable", message=DATABASE_DOWN_MESSAGE)
    return Response(body, status=503, headers={"Retry-After": str(DATABASE_RETRY_AFTER)})


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as {"field" or "field.sub": [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            key = safe_message(key)
            name = "non_field_errors" if key == "non_field_errors" and not prefix else f"{prefix}{key}"
            out.update(_flatten(value, f"{name}."))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix.rstrip(".") or "non_field_errors": [_detail_message(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            out.update(_flatten(item, f"{prefix}{index}."))
        return out
    return {prefix.rstrip(".") or "non_field_errors": [_detail_message(detail)]}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("Database unavailable, answering 503: %s", exc)
        return database_unavailable_response()
    for error_type, status_code, code in _SERVICE_STATUS:
        if isinstance(exc, error_type):
            assert isinstance(exc, ServiceError)
            message = safe_message(exc.message)
            fields = {exc.field: [message]} if exc.field else {}
            body = error_body(status_code=status_code, code=code, message=message, fields=fields)
            _add_conflict_details(exc, body, context)
            return Response(body, status=status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = "The input is not valid." if fields else "Bad request."
        code = "invalid"
    else:
        fields = {}
        detail = exc.detail
        message = safe_message(detail) if not isinstance(detail, (dict, list)) else "Request failed."
        code = exc.default_code if not hasattr(detail, "code") else str(getattr(detail, "code", exc.default_code))
    response.data = error_body(status_code=response.status_code, code=code, message=message, fields=fields)
    return response


def _add_conflict_details(exc: ServiceError, body: dict, context: dict[str, Any]) -> None:
    """A stale write's 409 shows the object as it is now and the other person's change."""
    from annotations.services.articles import ArticleConflict
    from annotations.services.claims import RevisionConflict
    from annotations.services.workflow import ClaimConflict

    if isinstance(exc, ClaimConflict):
        from annotations.api.serializers.claim_json import claim_json_by_id

        body["current"] = claim_json_by_id(exc.current.pk)
        body["last_change"] = exc.last_change
    elif isinstance(exc, ArticleConflict):
        from annotations.api.serializers.articles import article_json

        body["current"] = article_json(exc.current, full=False)
        body["last_change"] = exc.last_change
    elif isinstance(exc, RevisionConflict):
        body["revision"] = exc.revision
