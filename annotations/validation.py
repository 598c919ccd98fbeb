"""Input that PostgreSQL (or UTF-8) would refuse, caught first with a message fit for a form field.

PostgreSQL refuses a UTC offset beyond ±15:59 ("time zone displacement out of range"), a NUL
character in text, and a string that is not valid Unicode; Python accepts all three. Caught
here, they become a 400 with a field message instead of a 500 from the database driver. The
messages never repeat the offending text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils.dateparse import parse_datetime

MAX_UTC_OFFSET = datetime.timedelta(hours=15, minutes=59)
NUL_MESSAGE = "Null characters are not allowed."
SURROGATE_MESSAGE = "The text is not valid Unicode (it has an unpaired surrogate)."
DATETIME_FORMAT_MESSAGE = "Enter a date and time in ISO 8601, e.g. 2025-04-01T12:00:00Z."


class InvalidDateTime(ValueError):
    """A date-time the database cannot store or compare; the message is fit for a form field."""


def database_datetime(value: datetime.datetime) -> datetime.datetime:
    """`value` in UTC, within what PostgreSQL accepts. A naive value is taken as UTC.

    Raises InvalidDateTime for an offset beyond ±15:59 or a time that leaves years 1–9999 in UTC.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=datetime.UTC)
    offset = value.utcoffset()
    assert offset is not None
    if abs(offset) > MAX_UTC_OFFSET:
        raise InvalidDateTime("The UTC offset must be between -15:59 and +15:59.")
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError as exc:
        raise InvalidDateTime("The date and time is out of range (years 1 to 9999 in UTC).") from exc


def parse_database_datetime(text: str) -> datetime.datetime:
    """An ISO 8601 date-time (a naive one taken as UTC), in UTC. Raises InvalidDateTime."""
    try:
        value = parse_datetime(text)
    except ValueError:  # well-formed but impossible: month 13, offset +24:00
        value = None
    if value is None:
        raise InvalidDateTime(DATETIME_FORMAT_MESSAGE)
    return database_datetime(value)


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored in PostgreSQL, or None."""
    if "\x00" in text:
        return NUL_MESSAGE
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return SURROGATE_MESSAGE
    return None


def replace_unpaired_surrogates(text: str) -> str:
    """`text` with every unpaired surrogate replaced by U+FFFD (a pair written as two is joined)."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def json_depth_and_text_problems(data: Any, *, max_depth: int) -> tuple[int, dict[str, list[str]]]:
    """Walk parsed JSON once (no recursion): its nesting depth, capped at max_depth + 1, and every
    key or string that cannot be stored, as {"field.0.sub": [message]} (DRF's error paths)."""
    problems: dict[str, list[str]] = {}
    deepest = 0
    for path, depth, value in _walk(data):
        deepest = max(deepest, depth)
        if deepest > max_depth:
            return deepest, problems
        if isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                problems.setdefault(path or "non_field_errors", [problem])
    return deepest, problems


def _walk(data: Any) -> Iterator[tuple[str, int, Any]]:
    stack: list[tuple[str, int, Any]] = [("", 0, data)]
    while stack:
        path, depth, value = stack.pop()
        yield path, depth, value
        if isinstance(value, dict):
            for key, item in value.items():
                name = str(key)
                if text_problem(name) is not None:
                    name = replace_unpaired_surrogates(name).replace("\x00", "\ufffd")
                    yield (f"{path}.{name}" if path else name), depth + 1, str(key)
                stack.append(((f"{path}.{name}" if path else name), depth + 1, item))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append(((f"{path}.{index}" if path else str(index)), depth + 1, item))
