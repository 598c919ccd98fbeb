"""Shapes every part of the API shares: users, ratings, pages, errors, and the input fields.

The input fields accept exactly what the OpenAPI schema says they accept, no more: DRF's own
fields are lenient in ways a schema cannot state (an integer field takes "3", a text field takes
3, a choice field takes "1" for 1, a date-time field takes a date or a time without an offset,
and a text field trims before it checks its length). Each field here rejects what its schema
rejects, and its schema (type, bounds, `pattern`, `format`) is derived from the same arguments.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.utils import Direction, extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from annotations.fetching.urls import MAX_URL_LENGTH
from annotations.validation import InvalidDateTime, database_datetime

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema

MAX_ID = 2**63 - 1
"""Row ids are PostgreSQL bigints."""
MAX_INTEGER = 2**31 - 1
"""Versions, revisions and offsets are PostgreSQL integers."""

# Python's str.strip() removes exactly these (str.isspace()); spelled out, because `\s` means
# something slightly different in Python, in ECMA 262 and in the validators that read the schema.
WHITESPACE = "\\x09-\\x0d\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
NUL = "\\u0000"
"""PostgreSQL stores no NUL character (the JSON parser refuses one anywhere)."""
BLANK = f"^[{WHITESPACE}]*$"
"""Only whitespace, or nothing."""
DATE_TIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-](0[0-9]|1[0-5]):[0-5][0-9])$"
)
"""RFC 3339 (the schema's `date-time`), with the UTC offsets PostgreSQL stores (up to ±15:59)."""
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
"""RFC 3339's full-date (the schema's `date`)."""


_QUERY_NUMBER = re.compile(r"^-?[0-9]{1,20}(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?$")


def query_integer(raw: str, *, minimum: int, maximum: int) -> int | None:
    """A whole number from a query string, read as JSON Schema reads numbers ("20", "20.0", "2e1"),
    within the bounds; None when it is not one."""
    if not _QUERY_NUMBER.fullmatch(raw):
        return None
    value = Decimal(raw)
    if value != value.to_integral_value() or not minimum <= value <= maximum:
        return None
    return int(value)


def user_json(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "username": user.get_username()}


# --- Input fields. -----------------------------------------------------------------------------


class TextIn(serializers.CharField):
    """A string, never a number; its length counted as sent, before trimming; no NUL character; and
    unless `allow_blank`, more than whitespace. TextScheme states the same in the schema."""

    def run_validation(self, data: Any = empty) -> Any:
        if data is not empty and data is not None:
            if not isinstance(data, str):
                self.fail("invalid")
            if self.max_length is not None and len(data) > self.max_length:
                self.fail("max_length", max_length=self.max_length)
            if "\x00" in data:
                raise serializers.ValidationError("Null characters are not allowed.", code="null_characters")
            if not self.allow_blank and re.fullmatch(BLANK, data):
                self.fail("blank")
        return super().run_validation(data)


class TextScheme(OpenApiSerializerFieldExtension):
    """TextIn's rules as `not: {pattern}`: the same as a `pattern` that allows only what is left,
    and cheap for a generator to satisfy on a text of five million characters."""

    target_class = TextIn
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Direction) -> dict[str, Any]:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        refused = NUL if self.target.allow_blank else f"{NUL}|{BLANK}"
        return {**schema, "not": {"pattern": refused}}


def url_in(*, https_only: bool = False, allow_blank: bool = False, **kwargs: Any) -> TextIn:
    """An http(s) link, surrounding whitespace allowed. Its `pattern` says what a link looks like;
    the fetcher's rules on its parts (a host name that can exist, no user name or password, a port
    in range, at most 2,000 characters once encoded) are the service's, answered with a 400.
    """
    scheme = "[Hh][Tt][Tt][Pp][Ss]" if https_only else "[Hh][Tt][Tt][Pp][Ss]?"
    link = f"[{WHITESPACE}]*{scheme}://[^\\x00-\\x20\\x7f-\\x9f]+[{WHITESPACE}]*"
    pattern = f"^({link})?$" if allow_blank else f"^{link}$"
    message = "Enter an https link." if https_only else "Enter an http or https link."
    return TextIn(
        trim_whitespace=False,
        allow_blank=allow_blank,
        max_length=MAX_URL_LENGTH,
        validators=[RegexValidator(pattern, message=message)],
        **kwargs,
    )


class IntegerIn(serializers.IntegerField):
    """A JSON integer (1.0 counts, as in JSON Schema), never a string or a boolean."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        return super().to_internal_value(int(data))


class NumberIn(serializers.FloatField):
    """A JSON number, never a string or a boolean."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class BooleanIn(serializers.BooleanField):
    """A JSON true or false, never a string or a number."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


def id_in(**kwargs: Any) -> IntegerIn:
    """A row id: 1 up to PostgreSQL's bigint."""
    return IntegerIn(min_value=1, max_value=MAX_ID, **kwargs)


def version_in(**kwargs: Any) -> IntegerIn:
    """The claim version (or article revision) the writer read."""
    return IntegerIn(min_value=1, max_value=MAX_INTEGER, **kwargs)


class ChoiceIn(serializers.ChoiceField):
    """One of the choices, of the choices' own JSON type ("1" is not 1, true is not 1)."""

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        for value in self.choices:
            if type(value) is type(data) and value == data:
                return value
        self.fail("invalid_choice", input=data)


@extend_schema_field({"not": {}})
class AbsentIn(serializers.Field):
    """A key that must not be sent in this body (the schema's `not: {}`), e.g. `source` beside `url`."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.message = message

    def to_internal_value(self, data: Any) -> Any:
        raise serializers.ValidationError(self.message)

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field({"type": "string", "format": "date-time", "pattern": DATE_TIME.pattern})
class DateTimeIn(serializers.DateTimeField):
    """An RFC 3339 date-time with its UTC offset, as PostgreSQL can store it."""

    def to_internal_value(self, value: Any) -> datetime.datetime:
        try:
            return parse_date_time(value)
        except InvalidDateTime as exc:
            raise serializers.ValidationError(str(exc), code="invalid") from exc


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE.pattern})
class DateIn(serializers.DateField):
    """An RFC 3339 full-date (2025-04-01)."""

    def to_internal_value(self, value: Any) -> datetime.date:
        if not isinstance(value, str) or not DATE.fullmatch(value):
            self.fail("invalid", format="YYYY-MM-DD")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.fail("invalid", format="YYYY-MM-DD")


DATE_TIME_MESSAGE = "Enter a date and time in RFC 3339, e.g. 2025-04-01T12:00:00Z."


def parse_date_time(value: Any) -> datetime.datetime:
    """`value`, an RFC 3339 date-time (DATE_TIME), in UTC. Raises InvalidDateTime."""
    if not isinstance(value, str) or not DATE_TIME.fullmatch(value):
        raise InvalidDateTime(DATE_TIME_MESSAGE)
    try:
        parsed = datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError as exc:  # well-formed but impossible: month 13, hour 24
        raise InvalidDateTime(DATE_TIME_MESSAGE) from exc
    return database_datetime(parsed)


# A request body: its fields and nothing else. A key it does not declare is refused, as the schema
# says (`additionalProperties: false`, InputScheme); a required field is required on PATCH too, and a
# body whose fields are all optional carries at least one of them (`minProperties: 1`).
# drf-spectacular documents a PATCH body as partial (DRF's convention), so `partial` stays False
# for the schema and the validation to agree. No docstring: the schema would show it on every body.
class Input(serializers.Serializer[dict[str, Any]]):
    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, Mapping):
            unknown = [key for key in data if key not in self.fields]
            if unknown:
                raise serializers.ValidationError({key: ["Not a field of this body."] for key in unknown})
        values = super().to_internal_value(data)
        if not values and self.fields and not _has_required_field(self):
            message = f"Send at least one of: {', '.join(self.fields)}."
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
        return values


def _has_required_field(body: serializers.Serializer[Any]) -> bool:
    return any(field.required for field in body.fields.values() if not field.read_only)


class InputScheme(OpenApiSerializerExtension):
    """A request body has its fields and nothing else (`additionalProperties: false`), as Input checks."""

    target_class = Input
    match_subclasses = True

    def map_serializer(self, auto_schema: AutoSchema, direction: Direction) -> dict[str, Any]:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        body = self.target if isinstance(self.target, serializers.Serializer) else self.target()
        if direction == "request" and body.fields and not _has_required_field(body):
            schema["minProperties"] = 1
        return {**schema, "additionalProperties": False}


# --- Output shapes. -----------------------------------------------------------------------------


class UserOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class RatingOut(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    value = serializers.IntegerField(allow_null=True)
    color = serializers.CharField()


class ScaleRatingOut(RatingOut):
    position = serializers.IntegerField()


class PageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class ErrorBody(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here


class ErrorOut(serializers.Serializer):
    """Every error the API answers: annotations.api.errors.error_body."""

    error = ErrorBody()


class LastChangeOut(serializers.Serializer):
    """The other person's change that made a write stale (annotations.services.audit.audit_change)."""

    action = serializers.CharField()
    by = UserOut(allow_null=True)
    at = serializers.DateTimeField()
    before = serializers.DictField()
    after = serializers.DictField()


def page_of(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """A paginated list of `item` for the schema: {"next", "previous", "results": [...]}."""
    return type(name, (PageOut,), {"results": item(many=True)})
