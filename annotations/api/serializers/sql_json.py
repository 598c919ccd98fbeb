"""JSON text written by PostgreSQL, in the shapes the schema's serializers declare.

A list request used to spend three quarters of its time in Python turning rows into dicts and
dicts into JSON. Here the query that reads the rows also writes each object's JSON text, and the
text passes through the renderer as it is (`RawJSON`).

One definition per shape: a `Shape` names a response serializer and says where each of its keys
is read. The serializer gives the keys, their order, their kind and whether each may be null; the
shape gives only the source of each value. Building a `Shape` checks that every key has a source,
that the source's kind fits the key's, and that a key may be null exactly when its source can be
(a nullable column or foreign key, a reverse relation read as one object, a member of a JSON
object): the schema and the JSON cannot drift apart.

The text is what the API's renderer (orjson) writes for the same values: compact; strings
escaped alike (PostgreSQL's `to_json`); times in UTC as `2026-11-24T09:30:01.123456Z`, with
microseconds only when there are some; dates as `2026-11-24`; floats as orjson writes them, for
magnitudes below 1e15 (scores, not money). Members of JSON columns are written as PostgreSQL
prints them, which is orjson's text for strings, booleans, null and whole numbers.
"""

# The SQL here is written from model metadata, serializer keys and literals quoted by `literal`;
# values from requests are always parameters.
# ruff: noqa: S608

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import QuerySet
from django.urls import get_script_prefix
from rest_framework import serializers

Source = Any  # Column | Computed | Related | Reverse | JSONItems | Member


class RawJSON:
    """JSON text that is already rendered: the renderer writes it as it is.

    Not a dataclass: orjson would write a dataclass as an object of its fields.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"RawJSON({self.text[:60]!r}…)"


@dataclass(frozen=True)
class Column:
    """A field of the shape's model (a foreign key gives the id it holds)."""

    field: str


@dataclass(frozen=True)
class Computed:
    """SQL writing the value's JSON text from the row; `sql` gets the row's alias."""

    sql: Callable[[str], str]
    nullable: bool = False


@dataclass(frozen=True)
class Related:
    """The row a foreign key of the shape's model points at, in `shape` (null when the key is)."""

    field: str
    shape: Shape


@dataclass(frozen=True)
class Reverse:
    """Rows of `shape`'s model pointing at this row through their foreign key `field`.

    A list when the serializer's field is `many`, in `order` (field names, "-" for descending);
    else the one such row matching `where` or null (a unique constraint keeps it to one).
    """

    shape: Shape
    field: str
    where: Callable[[str], str] | None = None
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class JSONItems:
    """The objects in a JSON array field, in `shape` (a shape of `Member`s); other items are skipped."""

    field: str
    shape: Shape


@dataclass(frozen=True)
class Member:
    """A member of the JSON object `JSONItems` reads; null when it is missing."""

    key: str


INT, FLOAT, TEXT, BOOL, DATETIME, DATE = "int", "float", "text", "bool", "datetime", "date"
_MODEL_KINDS: list[tuple[type[models.Field[Any, Any]], str]] = [
    (models.ForeignKey, INT),
    (models.AutoField, INT),
    (models.BigAutoField, INT),
    (models.IntegerField, INT),
    (models.FloatField, FLOAT),
    (models.BooleanField, BOOL),
    (models.DateTimeField, DATETIME),
    (models.DateField, DATE),
    (models.CharField, TEXT),
    (models.TextField, TEXT),
]


def serializer_kind(value: serializers.Field) -> str:
    """The JSON kind of a scalar serializer field."""
    if isinstance(value, serializers.ChoiceField):
        return INT if all(isinstance(choice, int) for choice in value.choices) else TEXT
    for drf, kind in (
        (serializers.BooleanField, BOOL),
        (serializers.IntegerField, INT),
        (serializers.FloatField, FLOAT),
        (serializers.DateTimeField, DATETIME),
        (serializers.DateField, DATE),
        (serializers.CharField, TEXT),
    ):
        if isinstance(value, drf):
            return kind
    raise TypeError(f"No JSON kind for {type(value).__name__}.")


def model_kind(model_field: models.Field[Any, Any]) -> str:
    for django, kind in _MODEL_KINDS:
        if isinstance(model_field, django):
            return kind
    raise TypeError(f"No JSON kind for {type(model_field).__name__}.")


@dataclass(frozen=True, eq=False)
class Shape:
    """The JSON of `serializer`, read from rows of `model` (None: from a JSON object's members)."""

    serializer: type[serializers.Serializer[Any]]
    model: type[models.Model] | None
    values: Mapping[str, Source]
    fields: Mapping[str, serializers.Field] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        declared = dict(self.serializer().fields)
        object.__setattr__(self, "fields", declared)
        if list(declared) != [key for key in declared if key in self.values] or set(self.values) - set(declared):
            raise TypeError(
                f"{self.serializer.__name__}: keys {sorted(declared)} declared, {sorted(self.values)} read."
            )
        for key, declared_field in declared.items():
            problem = self._disagreement(declared_field, self.values[key])
            if problem:
                raise TypeError(f"{self.serializer.__name__}.{key}: {problem}")

    def _disagreement(self, declared: serializers.Field, source: Source) -> str | None:
        """How `source` disagrees with the declared field (kind, nullability, shape), if it does."""
        many = isinstance(declared, serializers.ListSerializer)
        nested = declared.child if many else declared  # type: ignore[attr-defined]
        allow_null = bool(declared.allow_null)
        if isinstance(source, Column | Related):
            assert self.model is not None
            model_field = _model_field(self.model, source.field)
            if model_field.null != allow_null:
                return f"the schema says {'' if allow_null else 'never '}null, the column {source.field} disagrees"
            if isinstance(source, Related):
                if many or type(nested) is not source.shape.serializer:
                    return f"declared {type(nested).__name__}, read as {source.shape.serializer.__name__}"
                if model_field.related_model is not source.shape.model:
                    return f"{source.field} does not point at {source.shape.model}"
                return None
            if model_kind(model_field) != serializer_kind(declared):
                return f"declared {serializer_kind(declared)}, the column is {model_kind(model_field)}"
            return None
        if isinstance(source, Reverse | JSONItems):
            if type(nested) is not source.shape.serializer:
                return f"declared {type(nested).__name__}, read as {source.shape.serializer.__name__}"
            if isinstance(source, JSONItems) and not many:
                return "a JSON array is read as a list"
            if many and allow_null:
                return "a list is never null"
            if not many and not allow_null:
                return "one related row may be missing: the schema must allow null"
            return None
        if isinstance(source, Member):
            return None if allow_null else "a member may be missing: the schema must allow null"
        if isinstance(source, Computed):
            return None if source.nullable == allow_null else "nullability differs"
        return f"unknown source {source!r}"


# --- SQL ------------------------------------------------------------------------------------------


def literal(text: str) -> str:
    """`text` as an SQL string literal, safe inside a statement run with parameters."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def json_literal(value: Any) -> str:
    """`value` rendered as JSON, as an SQL string literal."""
    return literal(orjson.dumps(value).decode())


def _datetime(x: str) -> str:
    utc = f"({x} AT TIME ZONE 'UTC')"
    return (
        f"""'"' || to_char({utc}, CASE WHEN date_trunc('second', {utc}) = {utc} """
        """THEN 'YYYY-MM-DD"T"HH24:MI:SS"Z"' ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"' END) || '"'"""
    )


def _float(x: str) -> str:
    """orjson's text of a float: "1.0" for whole numbers, decimals down to 1e-5, then "1e-6"."""
    t = f"({x})::text"
    return (
        f"CASE WHEN strpos({t}, 'e') = 0 THEN CASE WHEN strpos({t}, '.') = 0 THEN {t} || '.0' ELSE {t} END "
        f"WHEN right({t}, 4) = 'e-05' "
        f"THEN regexp_replace(split_part({t}, 'e', 1), '^(-?)([0-9])[.]?([0-9]*)$', '\\10.0000\\2\\3') "
        f"ELSE regexp_replace({t}, 'e([-+])0', 'e\\1') END"
    )


_SCALAR: dict[str, Callable[[str], str]] = {
    INT: lambda x: f"({x})::text",
    BOOL: lambda x: f"({x})::text",
    TEXT: lambda x: f"to_json({x})::text",
    DATE: lambda x: f"to_json({x})::text",
    DATETIME: _datetime,
    FLOAT: _float,
}


def _nullable(sql: str, nullable: bool) -> str:
    return f"COALESCE({sql}, 'null')" if nullable else sql


def _model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column.")
    return found


def _column(model: type[models.Model], name: str) -> str:
    return f'"{_model_field(model, name).column}"'


def _table(model: type[models.Model] | None) -> str:
    assert model is not None
    return '"' + model._meta.db_table + '"'


def _pk(model: type[models.Model] | None) -> str:
    assert model is not None and model._meta.pk is not None
    return '"' + model._meta.pk.column + '"'


class _Compiler:
    """Writes a shape's SQL. Each related row is a subquery by key: a plan that does not depend on table sizes."""

    def __init__(self) -> None:
        self._aliases: Iterator[int] = count()

    def alias(self) -> str:
        return f"j{next(self._aliases)}"

    def object(self, shape: Shape, alias: str) -> str:
        """SQL writing the object of `shape` for the row `alias`."""
        parts: list[str] = []
        text = ""
        for index, (key, declared) in enumerate(shape.fields.items()):
            text += ("{" if index == 0 else ",") + orjson.dumps(key).decode() + ":"
            parts += [literal(text), self.value(shape, declared, shape.values[key], alias)]
            text = ""
        parts.append(literal("}"))
        return "(" + " || ".join(parts) + ")"

    def value(self, shape: Shape, declared: serializers.Field, source: Source, alias: str) -> str:
        nullable = bool(declared.allow_null)
        if isinstance(source, Column):
            assert shape.model is not None
            return _nullable(
                _SCALAR[serializer_kind(declared)](f"{alias}.{_column(shape.model, source.field)}"), nullable
            )
        if isinstance(source, Computed):
            return _nullable(source.sql(alias), nullable)
        if isinstance(source, Member):
            return f"COALESCE({alias}.item -> {literal(source.key)}, 'null')::text"
        if isinstance(source, Related):
            assert shape.model is not None
            row, related = self.alias(), source.shape.model
            element = self.object(source.shape, row)
            key = f"{alias}.{_column(shape.model, source.field)}"
            return _nullable(
                f"(SELECT {element} FROM {_table(related)} {row} WHERE {row}.{_pk(related)} = {key})", nullable
            )
        if isinstance(source, Reverse):
            return self.reverse(shape, declared, source, alias)
        if isinstance(source, JSONItems):
            assert shape.model is not None
            items = self.alias()
            column = f"{alias}.{_column(shape.model, source.field)}"
            element = self.object(source.shape, items)
            return (
                f"COALESCE((SELECT '[' || string_agg({element}, ',' ORDER BY {items}.n) || ']' "
                f"FROM jsonb_array_elements(CASE WHEN jsonb_typeof({column}) = 'array' THEN {column} END) "
                f"WITH ORDINALITY AS {items}(item, n) WHERE jsonb_typeof({items}.item) = 'object'), '[]')"
            )
        raise TypeError(f"unknown source {source!r}")

    def reverse(self, shape: Shape, declared: serializers.Field, source: Reverse, alias: str) -> str:
        related = source.shape.model
        assert related is not None
        row = self.alias()
        element = self.object(source.shape, row)
        condition = f"{row}.{_column(related, source.field)} = {alias}.{_pk(shape.model)}"
        if source.where is not None:
            condition += f" AND {source.where(row)}"
        if isinstance(declared, serializers.ListSerializer):
            order = ", ".join(
                f"{row}.{_column(related, name.lstrip('-'))}{' DESC' if name.startswith('-') else ''}"
                for name in source.order
            )
            return (
                f"COALESCE((SELECT '[' || string_agg({element}, ','{' ORDER BY ' + order if order else ''}) || ']' "
                f"FROM {_table(related)} {row} WHERE {condition}), '[]')"
            )
        return f"COALESCE((SELECT {element} FROM {_table(related)} {row} WHERE {condition}), 'null')"


def object_sql(shape: Shape, alias: str) -> str:
    """SQL writing the JSON text of `shape` for the row `alias` of its model."""
    return _object_sql(shape, alias, get_script_prefix())


@functools.lru_cache(maxsize=64)
def _object_sql(shape: Shape, alias: str, script_prefix: str) -> str:
    # Kept per script prefix: `Computed` values may write URLs.
    return _Compiler().object(shape, alias)


def rows_sql(shape: Shape, inner: str, order: Sequence[tuple[str, bool]]) -> str:
    """The columns `inner` selects (an id among them) and the JSON text of each of its rows, in `order`.

    `order` (a column of `inner`, descending or not) is `inner`'s own order, so PostgreSQL keeps it
    without sorting again, and the objects are written only for the rows `inner` keeps, each
    looked up by its key (a subquery per row: never the whole table joined at once).
    """
    order_by = ", ".join(f'p."{name}"{" DESC" if descending else ""}' for name, descending in order)
    return (
        f"SELECT p.*, (SELECT {object_sql(shape, 't')} FROM {_table(shape.model)} t "
        f'WHERE t.{_pk(shape.model)} = p."id") FROM ({inner}) p' + (f" ORDER BY {order_by}" if order_by else "")
    )


def query_sql(rows: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """A query set's SQL and parameters, or None when Django knows it selects nothing (`pk__in=[]`)."""
    try:
        return rows.query.sql_with_params()
    except EmptyResultSet:
        return None


def by_id_sql(shape: Shape) -> str:
    """The id and JSON text of the rows of `shape`'s model whose ids are in the parameter (a list)."""
    pk = _pk(shape.model)
    return f"SELECT t.{pk}, {object_sql(shape, 't')} FROM {_table(shape.model)} t WHERE t.{pk} = ANY(%s)"
