"""The claim, source and verdict JSON of the API contract (the README's API section), written by PostgreSQL.

Lists are the API's hot path (an integrator walking an article's claims, the browser polling for
changes). Each shape here pairs a schema serializer (`ClaimOut`, `SourceOut`, `VerdictOut`, …: the
keys, their order and nullability) with the columns its values come from (`sql_json`), and the
query that reads a page of claims writes their JSON text too: one statement for the claims with
their users, current verdict, sources, snapshots and evidence, whatever the page's size.

Lists pass that text to the renderer as it is (`RawJSON`). Code that works on the JSON in Python
(the W3C Web Annotation model, a claim's ETag) gets it parsed, with times and dates as Python
values again (`claims_json`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from annotations.api.serializers.claims import ClaimOut, EvidenceOut, SnapshotOut, SourceOut, VerdictOut
from annotations.api.serializers.common import RatingOut, UserOut
from annotations.api.serializers.sql_json import (
    DATE,
    DATETIME,
    Column,
    Computed,
    JSONItems,
    Member,
    RawJSON,
    Related,
    Reverse,
    Shape,
    by_id_sql,
    json_literal,
    literal,
    query_sql,
    rows_sql,
    serializer_kind,
)
from annotations.models import Claim, ClaimStatus, Rating, Snapshot, Source, Verdict

Row = Mapping[str, Any]
_COPY_ID = 2**31 - 1  # a stand-in id, to find where the id goes in the stored copy's URL


def _columns(*names: str) -> dict[str, Column]:
    return {name: Column(name) for name in names}


def _row_url(route: str, alias: str) -> str:
    """SQL for the JSON string of `route`'s address for the row's id, under the current script prefix."""
    before, after = reverse(route, args=[_COPY_ID]).split(str(_COPY_ID))
    return f"""to_json({literal(before)} || {alias}."id" || {literal(after)})::text"""


def _stored_copy_url(alias: str) -> str:
    """The snapshot's stored copy (when it has a body)."""
    return f"""CASE WHEN {alias}."body" <> '' THEN {_row_url("snapshot_copy", alias)} ELSE 'null' END"""


def _warc_url(alias: str) -> str:
    """The snapshot's WARC (when the fetch wrote one)."""
    return f"""CASE WHEN {alias}."warc" <> '' THEN {_row_url("snapshot_warc", alias)} ELSE 'null' END"""


def _wacz_url(alias: str) -> str:
    """The claim's preserved sources as one WACZ."""
    return _row_url("claim_wacz", alias)


def _status_label(alias: str) -> str:
    cases = " ".join(f"WHEN {literal(s.value)} THEN {json_literal(str(s.label))}" for s in ClaimStatus)
    return f"""CASE {alias}."status" {cases} ELSE to_json({alias}."status")::text END"""


USER = Shape(UserOut, User, _columns("id", "username"))
RATING = Shape(RatingOut, Rating, _columns("id", "label", "value", "color"))
VERDICT = Shape(
    VerdictOut,
    Verdict,
    {
        **_columns("id"),
        "rating": Related("rating", RATING),
        **_columns("summary", "rationale"),
        "author": Related("author", USER),
        **_columns("created_at", "approved_at", "published_at", "corrects", "correction_note"),
        **_columns("withdrawn_at", "retracted_at", "retraction_note"),
    },
)
SNAPSHOT = Shape(
    SnapshotOut,
    Snapshot,
    {
        **_columns("id", "status", "reason", "http_status", "title", "final_url", "sha256", "content_type"),
        **_columns("size", "fetched_at"),
        "stored_copy_url": Computed(_stored_copy_url, nullable=True),
        "warc_url": Computed(_warc_url, nullable=True),
    },
)


def _passage_url(alias: str) -> str:
    """The text view of the snapshot the evidence item was found in, at the passage when it was found."""
    before, after = reverse("snapshot_text", args=[_COPY_ID]).split(str(_COPY_ID))
    item = f"{alias}.item"
    at = (
        f"""CASE WHEN jsonb_typeof({item} -> 'start') = 'number' AND jsonb_typeof({item} -> 'end') = 'number' """
        f"""THEN '#selector(type=TextPositionSelector,start=' || ({item} ->> 'start') || ',end=' """
        f"""|| ({item} ->> 'end') || ')' ELSE '' END"""
    )
    return (
        f"""CASE WHEN jsonb_typeof({item} -> 'snapshot') = 'number' """
        f"""THEN to_json({literal(before)} || ({item} ->> 'snapshot') || {literal(after)} || {at})::text """
        f"""ELSE 'null' END"""
    )


_EVIDENCE_MEMBERS = ("kind", "label", "found", "paragraph", "page", "start", "end", "excerpt", "mark_start", "mark_end")
EVIDENCE = Shape(
    EvidenceOut, None, {**{key: Member(key) for key in _EVIDENCE_MEMBERS}, "url": Computed(_passage_url, nullable=True)}
)
SOURCE = Shape(
    SourceOut,
    Source,
    {
        **_columns("id", "claim", "url", "note", "stance"),
        "added_by": Related("added_by", USER),
        "created_at": Column("created_at"),
        "snapshot": Related("snapshot", SNAPSHOT),
        "evidence": JSONItems("evidence", EVIDENCE),
        "evidence_pending": Column("evidence_pending"),
    },
)
CLAIM = Shape(
    ClaimOut,
    Claim,
    {
        **_columns("id", "article", "exact", "prefix", "suffix", "start", "end", "anchor_outcome", "anchor_score"),
        **_columns("anchored_revision", "restated"),
        "restated_by": Related("restated_by", USER),
        **_columns("restated_at", "claimant", "claimant_kind", "claim_date", "status"),
        "status_label": Computed(_status_label),
        "assignee": Related("assignee", USER),
        **_columns("priority", "due_at", "version"),
        "created_by": Related("created_by", USER),
        **_columns("created_at", "updated_at", "duplicate_of"),
        "current_verdict": Reverse(VERDICT, "claim", where=lambda alias: f'{alias}."is_current"'),
        "sources": Reverse(SOURCE, "claim", order=("created_at", "id")),
        "wacz_url": Computed(_wacz_url),
    },
)


def json_texts(shape: Shape, ids: Sequence[int]) -> list[str]:
    """The JSON text of each row of `shape`'s model with these ids, in their order (missing ones left out)."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(by_id_sql(shape), [list(ids)])
        found = dict(cursor.fetchall())
    return [found[row_id] for row_id in ids if row_id in found]


def json_objects(shape: Shape, rows: QuerySet[Any]) -> list[dict[str, Any]]:
    """The JSON of the rows of a query set (in no particular order), as Python values. One query."""
    inner = query_sql(rows.order_by().values("id"))
    if inner is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(rows_sql(shape, inner[0], []), inner[1])
        return [parsed(shape, row[-1]) for row in cursor.fetchall()]


def parsed(shape: Shape, text: str) -> dict[str, Any]:
    """The JSON text of one object of `shape`, as Python values (times and dates as such)."""
    return _typed(shape, orjson.loads(text))


def _typed(shape: Shape, data: dict[str, Any]) -> dict[str, Any]:
    for key, declared in shape.fields.items():
        value, source = data[key], shape.values[key]
        if value is None or isinstance(source, Member):
            continue
        if isinstance(source, Related | Reverse | JSONItems):
            nested = source.shape
            data[key] = [_typed(nested, item) for item in value] if isinstance(value, list) else _typed(nested, value)
            continue
        kind = serializer_kind(declared)
        if kind == DATETIME:
            data[key] = datetime.datetime.fromisoformat(value)
        elif kind == DATE:
            data[key] = datetime.date.fromisoformat(value)
    return data


# --- Claims. ------------------------------------------------------------------------------------


def claim_rows(claims: QuerySet[Claim], *extra: str) -> QuerySet[Claim, dict[str, Any]]:
    """The claims as rows for `claims_json`: their ids (plus `extra` columns)."""
    return claims.values("id", *extra)


def _ids(claims: Iterable[Row | Claim]) -> list[int]:
    return [claim.pk if isinstance(claim, Claim) else claim["id"] for claim in claims]


def claims_json(claims: Sequence[Row | Claim]) -> list[dict[str, Any]]:
    """The claim JSON of claims (rows from `claim_rows`, or instances), in order, as Python values. One query."""
    return [parsed(CLAIM, text) for text in json_texts(CLAIM, _ids(claims))]


def claims_raw_json(claims: Sequence[Row | Claim]) -> RawJSON:
    """The claim JSON of claims (rows or instances) as one rendered array, in order. One query."""
    return RawJSON("[" + ",".join(json_texts(CLAIM, _ids(claims))) + "]")


def claim_json_by_id(claim_id: int) -> dict[str, Any] | None:
    """The claim JSON of one claim as it is now in the database, or None when it is gone."""
    found = claims_json([{"id": claim_id}])
    return found[0] if found else None


# --- Sources and verdicts. ----------------------------------------------------------------------


def verdict_json_by_id(verdict_id: int) -> dict[str, Any]:
    [text] = json_texts(VERDICT, [verdict_id])
    return parsed(VERDICT, text)
