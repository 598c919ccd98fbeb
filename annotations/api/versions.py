"""Optimistic locking over the API: every write names the version it read, and answers with what it wrote.

A claim's ETag is its version (`"3"`), an article's is its revision. A write sends it back in the
body (`version`, `revision`) or as `If-Match`; without it the answer is 428 Precondition Required,
and a stale one is a 409 with the object as it is now and the other person's change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.api.errors import PreconditionRequired
from annotations.api.serializers.claim_json import claim_json_by_id
from annotations.models import Claim


def if_match(request: Request) -> int | None:
    """The number in `If-Match: "<n>"` (W/ prefixes tolerated), or None when absent."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9:
        raise ValidationError({"If-Match": ['Send the version you read as an ETag, e.g. "3".']})
    return int(value)


def required_version(request: Request, body_value: Any = None, *, name: str = "version") -> int:
    """The version the writer read: `body_value` if given, else If-Match; 428 when neither is sent."""
    if body_value is not None and body_value != "":
        try:
            value = int(body_value)
        except (TypeError, ValueError):
            raise ValidationError({name: ["Send a whole number."]}) from None
        if not 1 <= value <= 2**31 - 1:
            raise ValidationError({name: ["Send the number you read."]})
        return value
    header = if_match(request)
    if header is None:
        raise PreconditionRequired(
            f'Send the {name} you read ("{name}" in the body, or If-Match), so that a colleague\'s change is not '
            "overwritten."
        )
    return header


def claim_written(write: Callable[[], Claim | None], *, status: int = 200) -> Response:
    """Run a claim write and read the claim's JSON inside the same transaction.

    The write holds the claim's row lock until the transaction ends, so the answer shows the state
    this write produced, never a colleague's write that committed right after it.
    """
    with transaction.atomic():
        claim = write()
        body = claim_json_by_id(claim.pk) if claim is not None else None
    if body is None:
        raise Http404("No such claim.")
    return Response(body, status=status, headers={"ETag": f'"{body["version"]}"'})
