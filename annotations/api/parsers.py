"""The API's JSON parser: bounded in size and depth, and refusing text PostgreSQL cannot store.

DRF's JSONParser reads the whole body whatever its size (Django's DATA_UPLOAD_MAX_MEMORY_SIZE
covers form posts only) and recurses once per nesting level, so a body nested a thousand deep
raises RecursionError: a 500. This parser reads at most MAX_BODY_BYTES (413 beyond), parses with
orjson (which stops at 1,024 levels, refuses unpaired surrogates and is several times faster),
and refuses nesting beyond MAX_DEPTH and NUL characters anywhere, with the field they are in.
"""

from __future__ import annotations

import codecs
from typing import Any

import orjson
from django.conf import settings
from rest_framework import exceptions, parsers, status

from annotations.validation import json_depth_and_text_problems

MAX_BODY_BYTES = 10 * 1024 * 1024
"""Twice the largest article file the New article page takes, with room for JSON escapes."""
MAX_DEPTH = 32
"""A Web Annotation with selectors refined by selectors is about six levels deep."""


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = f"The request body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB."
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser with limits; the default for every API view (settings.REST_FRAMEWORK)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        context = parser_context or {}
        request = context.get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise RequestTooLarge()
        body = stream.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise RequestTooLarge()
        encoding = context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            if codecs.lookup(encoding).name != "utf-8":
                body = body.decode(encoding)
            data = orjson.loads(body)
        except (LookupError, UnicodeDecodeError, orjson.JSONDecodeError) as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
        depth, problems = json_depth_and_text_problems(data, max_depth=MAX_DEPTH)
        if depth > MAX_DEPTH:
            raise exceptions.ParseError(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
        if problems:
            raise exceptions.ValidationError(problems)
        return data
