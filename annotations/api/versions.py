"""Optimistic locking over the API: every write names the version it read, and answers with what it wrote.

A claim's ETag is its version (`"3"`), an article's is its revision. A write sends it back in the
body (`version`, `revision`) or as `If-Match`; without it the answer is 428 Precondition Required,
and a stale one is a 409 with the object as it is now and the other person's change.

VERSIONED names those writes by their declared action (annotations.policy), with the shape of
their 409; the OpenAPI schema documents their 409 and 428 from it (annotations.api.schema).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.http import Http404
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.api.errors import PreconditionRequired
from annotations.api.serializers.articles import ArticleConflictOut
from annotations.api.serializers.claim_json import claim_json_by_id
from annotations.api.serializers.claims import ClaimConflictOut
from annotations.models import Claim

VERSIONED: dict[str, type[serializers.Serializer] | None] = {
    "claim.edit": ClaimConflictOut,
    "claim.delete": ClaimConflictOut,
    "claim.transition": ClaimConflictOut,
    "claim.link_duplicate": ClaimConflictOut,
    "verdict.draft": ClaimConflictOut,
    "article.revise": ArticleConflictOut,
    # Claims the writer read stale are listed under "changed" in the answer, not refused with a 409.
    "queue.bulk_assign": None,
}
"""The writes that must carry the version they read, by action, and the body of their stale 409."""

IF_MATCH_FORMAT = '^(W/)?"[0-9]{1,9}"$'


def if_match(request: Request) -> int | None:
    """The number in `If-Match: "<n>"` (W/ prefixes tolerated), or None when absent."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9 or not value.isascii():
        raise ValidationError({"If-Match": ['Send the version you read as an ETag, e.g. "3".']})
    return int(value)


def _missing(name: str) -> PreconditionRequired:
    return PreconditionRequired(
        f'Send the {name} you read ("{name}" in the body, or If-Match), so that a colleague\'s change is not '
        "overwritten."
    )


def if_none_match(request: Request, etag: str) -> bool:
    """Whether If-None-Match names `etag` (weak or strong) or is `*`: a GET then answers 304."""
    tags = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    return etag in tags or "*" in tags


def required_version(request: Request) -> int:
    """The version in If-Match, for a write without a body (DELETE); 428 without it."""
    header = if_match(request)
    if header is None:
        raise _missing("version")
    return header


def with_version(request: Request, *, name: str = "version") -> Any:
    """The request body, with `name` taken from If-Match when the body has none; 428 when neither has it.

    The body's input serializer then validates the version like any other field, so the schema
    (where it is required) and the validation agree.
    """
    data = request.data
    if not isinstance(data, Mapping) or name in data:
        return data
    header = if_match(request)
    if header is None:
        raise _missing(name)
    return {**data, name: header}


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
