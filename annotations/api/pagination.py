"""Keyset (cursor) pagination with a stable, unique ordering.

The cursor is the sort key of the last row seen, so a page never skips or repeats rows while
others add claims, and the hundredth page costs what the first does. `previous` walks backwards
with the ordering reversed.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import F, Model, Q, QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Key:
    """One sort column. The last key of an ordering must be unique (the id)."""

    field: str
    descending: bool = False
    kind: str = "int"  # "int" or "datetime"


def _encode(values: Sequence[Any], *, reverse: bool) -> str:
    raw = json.dumps({"v": list(values), "r": reverse}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, keys: Sequence[Key]) -> tuple[list[Any], bool]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values, reverse = data["v"], bool(data["r"])
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        out: list[Any] = []
        for key, value in zip(keys, values, strict=True):
            if key.kind == "datetime":
                parsed = parse_datetime(value) if isinstance(value, str) else None
                if parsed is None:
                    raise ValueError
                out.append(parsed)
            elif isinstance(value, int) and not isinstance(value, bool):
                out.append(value)
            else:
                raise ValueError
        return out, reverse
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationError({"cursor": ["The cursor is not valid."]}) from exc


def _beyond(keys: Sequence[Key], values: Sequence[Any], *, reverse: bool) -> Q:
    """Rows strictly after `values` in the ordering (before them when walking backwards)."""
    condition = Q()
    for index, key in enumerate(keys):
        step = Q(**{k.field: v for k, v in zip(keys[:index], values[:index], strict=True)})
        forward = not key.descending
        if reverse:
            forward = not forward
        step &= Q(**{f"{key.field}__{'gt' if forward else 'lt'}": values[index]})
        condition |= step
    return condition


def _ordering(keys: Sequence[Key], *, reverse: bool) -> list[Any]:
    out = []
    for key in keys:
        descending = key.descending != reverse
        out.append(F(key.field).desc() if descending else F(key.field).asc())
    return out


def _value(row: Model | dict[str, Any], key: Key) -> Any:
    value = row[key.field] if isinstance(row, dict) else getattr(row, key.field)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def page_size(request: Request, *, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    raw = request.query_params.get("page_size")
    if raw is None or raw == "":
        return default
    try:
        size = int(raw)
    except ValueError as exc:
        raise ValidationError({"page_size": ["Enter a whole number."]}) from exc
    if not 1 <= size <= maximum:
        raise ValidationError({"page_size": [f"Enter a number from 1 to {maximum}."]})
    return size


@dataclass
class Page:
    rows: list[Any]
    next: str | None
    previous: str | None


def paginate(
    request: Request, queryset: QuerySet[M, Any], keys: Sequence[Key], *, default_size: int = DEFAULT_PAGE_SIZE
) -> Page:
    size = page_size(request, default=default_size)
    cursor = request.query_params.get("cursor") or ""
    values: list[Any] | None = None
    reverse = False
    if cursor:
        values, reverse = _decode(cursor, keys)
        queryset = queryset.filter(_beyond(keys, values, reverse=reverse))
    rows = list(queryset.order_by(*_ordering(keys, reverse=reverse))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
    url = request.build_absolute_uri()
    next_url = previous_url = None
    if rows:
        first, last = [_value(rows[0], k) for k in keys], [_value(rows[-1], k) for k in keys]
        if (more and not reverse) or (reverse and values is not None):
            next_url = replace_query_param(url, "cursor", _encode(last, reverse=False))
        if (more and reverse) or (not reverse and values is not None):
            previous_url = replace_query_param(url, "cursor", _encode(first, reverse=True))
    elif values is not None:
        # Walked past the end: offer the way back to the start.
        previous_url = remove_query_param(url, "cursor")
    return Page(rows=rows, next=next_url, previous=previous_url)


def paginated_response(page: Page, render: Callable[[Any], Any], *, headers: dict[str, str] | None = None) -> Response:
    return Response(
        {"next": page.next, "previous": page.previous, "results": [render(row) for row in page.rows]},
        headers=headers,
    )


def paginated_rows_response(page: Page, render_all: Callable[[list[Any]], list[Any]]) -> Response:
    """Like paginated_response, for renderers that shape a whole page at once (shared lookups)."""
    return Response({"next": page.next, "previous": page.previous, "results": render_all(page.rows)})
