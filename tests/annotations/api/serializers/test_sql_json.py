"""JSON written by PostgreSQL: the renderer's bytes for every value, and shapes that cannot drift from the schema."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from annotations.api.renderers import to_json
from annotations.api.serializers import claim_json
from annotations.api.serializers.claims import ClaimOut, SourceOut, VerdictOut
from annotations.api.serializers.common import UserOut
from annotations.api.serializers.sql_json import _SCALAR, Column, Computed, Related, Reverse, Shape
from annotations.models import Claim, Verdict

DB = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _sql(kind: str, value: Any, cast: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_SCALAR[kind]('v.x')} FROM (SELECT %s::{cast} AS x) v", [value])
        return cursor.fetchone()[0]


@pytest.mark.django_db
@DB
@given(st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"])))
def test_strings_are_escaped_as_the_renderer_escapes_them(text: str) -> None:
    assert _sql("text", text, "text").encode() == to_json(text)


@pytest.mark.django_db
@DB
@given(
    st.floats(min_value=0, max_value=1)
    | st.floats(min_value=-1e15, max_value=1e15, exclude_min=True, exclude_max=True, width=64)
    | st.sampled_from([0.0, 1.0, 1e-5, 1.23e-5, 9.99e-5, 1e-4, 1e-6, 1.5e-7, 5e-324, -1e-5, 123.0, 0.1 + 0.2])
)
def test_floats_are_written_as_the_renderer_writes_them(value: float) -> None:
    assert _sql("float", value, "float8").encode() == to_json(value)


@pytest.mark.django_db
@DB
@given(
    st.datetimes(
        min_value=datetime.datetime(1000, 1, 1),
        max_value=datetime.datetime(9999, 12, 31),
        timezones=st.sampled_from([datetime.UTC, datetime.timezone(datetime.timedelta(hours=-5, minutes=-30))]),
    )
)
def test_times_are_written_in_utc_as_the_renderer_writes_them(value: datetime.datetime) -> None:
    assert _sql("datetime", value, "timestamptz").encode() == to_json(value.astimezone(datetime.UTC))


@pytest.mark.django_db
@DB
@given(st.dates(min_value=datetime.date(1000, 1, 1)), st.integers(-(2**63) + 1, 2**63 - 1), st.booleans())
def test_dates_integers_and_booleans(date: datetime.date, number: int, flag: bool) -> None:
    assert _sql("date", date, "date").encode() == to_json(date)
    assert _sql("int", number, "bigint").encode() == to_json(number)
    assert _sql("bool", flag, "boolean").encode() == to_json(flag)


# --- One definition per shape. -----------------------------------------------------------------


def test_the_apis_shapes_read_every_key_the_schema_declares_in_its_order() -> None:
    for shape, out in ((claim_json.CLAIM, ClaimOut), (claim_json.SOURCE, SourceOut), (claim_json.VERDICT, VerdictOut)):
        assert shape.serializer is out and list(shape.fields) == list(out().fields)


class _Drifted(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()


def test_a_key_without_a_source_or_a_source_without_a_key_is_refused() -> None:
    with pytest.raises(TypeError, match="declared"):
        Shape(UserOut, User, {"id": Column("id")})
    with pytest.raises(TypeError, match="declared"):
        Shape(UserOut, User, {"id": Column("id"), "username": Column("username"), "email": Column("email")})


def test_nullability_must_agree_with_the_column() -> None:
    class NullableName(_Drifted):
        username = serializers.CharField(allow_null=True)

    with pytest.raises(TypeError, match="username: the schema says null"):
        Shape(NullableName, User, {"id": Column("id"), "username": Column("username")})

    class NeverNullStart(serializers.Serializer[Any]):
        start = serializers.IntegerField()

    with pytest.raises(TypeError, match="start: the schema says never null"):
        Shape(NeverNullStart, Claim, {"start": Column("start")})

    class RequiredAssignee(serializers.Serializer[Any]):
        assignee = UserOut()

    with pytest.raises(TypeError, match="assignee: the schema says never null"):
        Shape(RequiredAssignee, Claim, {"assignee": Related("assignee", claim_json.USER)})

    class RequiredVerdict(serializers.Serializer[Any]):
        current_verdict = VerdictOut()

    with pytest.raises(TypeError, match="must allow null"):
        Shape(RequiredVerdict, Claim, {"current_verdict": Reverse(claim_json.VERDICT, "claim")})

    class Title(serializers.Serializer[Any]):
        title = serializers.CharField()

    with pytest.raises(TypeError, match="nullability differs"):
        Shape(Title, Claim, {"title": Computed(lambda alias: "'\"x\"'", nullable=True)})


def test_kinds_and_nested_shapes_must_agree() -> None:
    class TextId(serializers.Serializer[Any]):
        id = serializers.CharField()

    with pytest.raises(TypeError, match="declared text, the column is int"):
        Shape(TextId, User, {"id": Column("id")})

    class WrongNested(serializers.Serializer[Any]):
        author = _Drifted(allow_null=True)

    with pytest.raises(TypeError, match="declared _Drifted, read as UserOut"):
        Shape(WrongNested, Verdict, {"author": Related("author", claim_json.USER)})
