"""Keyset (cursor) pagination with a stable, unique ordering.

The cursor is the sort key of the last row seen, so a page never skips or repeats rows while
others add claims, and the hundredth page costs what the first does. `previous` walks backwards
with the ordering reversed.

A cursor is that position written out: each key as a whole number (a time in microseconds since
1970), joined by "_", and "n" (the rows after it) or "p" (the rows before it), e.g.
`1743508800000000_42_n`. Its `pattern` in the schema (`page_parameters`) admits exactly the
cursors the server reads: any position is a valid place to start a page from.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import F, Model, Q, QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from annotations.api.serializers.common import query_integer
from annotations.api.serializers.sql_json import RawJSON, Shape, query_sql, rows_sql

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# Digits per key: below 2**63 for an id, and within year 9999 for a time in microseconds.
KEY_DIGITS = {"int": 18, "datetime": 17}

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Key:
    """One sort column. The last key of an ordering must be unique (the id)."""

    field: str
    descending: bool = False
    kind: str = "int"  # "int" or "datetime"


def cursor_pattern(keys: Sequence[Key]) -> str:
    """The cursors of an ordering, as a regular expression (the empty cursor is the first page)."""
    parts = "_".join(f"[0-9]{{1,{KEY_DIGITS[key.kind]}}}" for key in keys)
    return f"^({parts}_[np])?$"


def _encode(values: Sequence[Any], *, reverse: bool) -> str:
    numbers = [
        (value - EPOCH) // datetime.timedelta(microseconds=1) if isinstance(value, datetime.datetime) else value
        for value in values
    ]
    return "_".join([*(str(number) for number in numbers), "p" if reverse else "n"])


def _decode(cursor: str, keys: Sequence[Key]) -> tuple[list[Any], bool]:
    if not re.fullmatch(cursor_pattern(keys), cursor):
        raise ValidationError({"cursor": ["The cursor is not valid."]})
    *numbers, direction = cursor.split("_")
    values = [
        EPOCH + datetime.timedelta(microseconds=int(number)) if key.kind == "datetime" else int(number)
        for key, number in zip(keys, numbers, strict=True)
    ]
    return values, direction == "p"


def _beyond(keys: Sequence[Key], values: Sequence[Any], *, reverse: bool) -> Q:
    """Rows strictly after `values` in the ordering (before them when walking backwards).

    The bound on the first key alone is implied by the rest; it is there so that an index on the
    ordering starts the scan at the cursor rather than filtering every row before it.
    """
    condition = Q()
    for index, key in enumerate(keys):
        step = Q(**{k.field: v for k, v in zip(keys[:index], values[:index], strict=True)})
        step &= Q(**{f"{key.field}__{'gt' if _forward(key, reverse) else 'lt'}": values[index]})
        condition |= step
    first = keys[0]
    return Q(**{f"{first.field}__{'gte' if _forward(first, reverse) else 'lte'}": values[0]}) & condition


def _forward(key: Key, reverse: bool) -> bool:
    return key.descending == reverse


def _ordering(keys: Sequence[Key], *, reverse: bool) -> list[Any]:
    out = []
    for key in keys:
        descending = key.descending != reverse
        out.append(F(key.field).desc() if descending else F(key.field).asc())
    return out


def _value(row: Model | dict[str, Any] | tuple[Any, ...], key: Key, index: int) -> Any:
    """The sort key `key` of a row: an instance, a dict, or a tuple of the keys in order."""
    if isinstance(row, tuple):
        return row[index]
    return row[key.field] if isinstance(row, dict) else getattr(row, key.field)


def page_size(request: Request, *, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    size = query_integer(raw, minimum=1, maximum=maximum)
    if size is None:
        raise ValidationError({"page_size": [f"Enter a whole number from 1 to {maximum}."]})
    return size


def page_parameters(keys: Sequence[Key]) -> list[OpenApiParameter]:
    """The query parameters of a list in the order `keys`, as `paginate` reads them."""
    return [
        OpenApiParameter(
            "cursor",
            {"type": "string", "pattern": cursor_pattern(keys)},
            description="From `next` or `previous` of a page.",
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            description=f"Rows per page (1–{MAX_PAGE_SIZE}, default {DEFAULT_PAGE_SIZE}).",
        ),
    ]


@dataclass
class Page:
    rows: list[Any]
    next: str | None
    previous: str | None


@dataclass
class JSONPage(Page):
    """A page whose results PostgreSQL has written as JSON (`rows` are tuples: the sort keys, then the JSON)."""

    results: RawJSON


def _window(
    request: Request, queryset: QuerySet[M, Any], keys: Sequence[Key], default_size: int
) -> tuple[QuerySet[M, Any], int, list[Any] | None, bool]:
    """The rows from the cursor on in the page's order, the page's size, and where the cursor is."""
    size = page_size(request, default=default_size)
    cursor = request.query_params.get("cursor", "")
    values: list[Any] | None = None
    reverse = False
    if cursor:
        values, reverse = _decode(cursor, keys)
        queryset = queryset.filter(_beyond(keys, values, reverse=reverse))
    return queryset.order_by(*_ordering(keys, reverse=reverse)), size, values, reverse


def _page(
    request: Request, rows: list[Any], keys: Sequence[Key], size: int, values: list[Any] | None, reverse: bool
) -> Page:
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
    url = request.build_absolute_uri()
    next_url = previous_url = None
    if rows:
        first = [_value(rows[0], k, i) for i, k in enumerate(keys)]
        last = [_value(rows[-1], k, i) for i, k in enumerate(keys)]
        if (more and not reverse) or (reverse and values is not None):
            next_url = replace_query_param(url, "cursor", _encode(last, reverse=False))
        if (more and reverse) or (not reverse and values is not None):
            previous_url = replace_query_param(url, "cursor", _encode(first, reverse=True))
    elif values is not None:
        # Walked past the end: offer the way back to the start.
        previous_url = remove_query_param(url, "cursor")
    return Page(rows=rows, next=next_url, previous=previous_url)


def paginate(
    request: Request, queryset: QuerySet[M, Any], keys: Sequence[Key], *, default_size: int = DEFAULT_PAGE_SIZE
) -> Page:
    window, size, values, reverse = _window(request, queryset, keys, default_size)
    return _page(request, list(window[: size + 1]), keys, size, values, reverse)


def paginate_json(request: Request, queryset: QuerySet[M, Any], keys: Sequence[Key], shape: Shape) -> JSONPage:
    """A page of `queryset` with its rows' JSON in `shape`, written by PostgreSQL in the statement that pages it."""
    window, size, values, reverse = _window(request, queryset, keys, DEFAULT_PAGE_SIZE)
    # One more row than the page holds, to tell whether more follow.
    inner = query_sql(window.values(*(key.field for key in keys))[: size + 1])
    found: list[Any] = []
    if inner is not None:
        order = [(key.field, key.descending != reverse) for key in keys]
        with connection.cursor() as cursor:
            cursor.execute(rows_sql(shape, inner[0], order), inner[1])
            found = cursor.fetchall()
    texts = [row[-1] for row in found[:size]]
    if reverse:
        texts.reverse()
    page = _page(request, found, keys, size, values, reverse)
    return JSONPage(rows=page.rows, next=page.next, previous=page.previous, results=RawJSON(f"[{','.join(texts)}]"))


def paginated_response(page: Page, render: Callable[[Any], Any], *, headers: dict[str, str] | None = None) -> Response:
    return Response(
        {"next": page.next, "previous": page.previous, "results": [render(row) for row in page.rows]},
        headers=headers,
    )


def json_page_response(page: JSONPage) -> Response:
    return Response({"next": page.next, "previous": page.previous, "results": page.results})
