"""The claim, source and verdict JSON of the API contract (the README's API section), built from rows.

Lists are the API's hot path (an integrator walking an article's claims, the browser polling for
changes), so nothing here builds model instances: each shape is read with `.values()`, with
the users' names and the verdict's rating joined in. A page of claims costs three queries
whatever its size: the claims, their current verdicts, and their sources with the latest
snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from annotations.models import Claim, ClaimStatus, Source, Verdict

Row = Mapping[str, Any]

# Rows carry the names of the users they mention, and a verdict its rating, joined in.
VERDICT_FIELDS = (
    "id", "claim_id", "summary", "rationale", "author_id", "author__username", "created_at", "approved_at",
    "published_at", "corrects_id", "correction_note", "rating_id", "rating__label", "rating__value", "rating__color",
    "withdrawn_at", "retracted_at", "retraction_note",
)  # fmt: skip
CLAIM_FIELDS = (
    "id", "article_id", "exact", "prefix", "suffix", "start", "end", "anchor_outcome", "anchor_score",
    "anchored_revision",
    "restated", "restated_by_id", "restated_by__username", "restated_at", "claimant", "claimant_kind", "claim_date",
    "status", "assignee_id", "assignee__username", "priority", "due_at",
    "version", "created_by_id", "created_by__username", "created_at", "updated_at", "duplicate_of_id",
)  # fmt: skip
SNAPSHOT_FIELDS = (
    "status", "reason", "http_status", "title", "final_url", "sha256", "content_type", "size", "fetched_at", "body",
)  # fmt: skip
SOURCE_FIELDS = (
    "id", "claim_id", "url", "note", "stance", "added_by_id", "added_by__username", "created_at", "evidence",
    "snapshot_id", *(f"snapshot__{name}" for name in SNAPSHOT_FIELDS),
)  # fmt: skip
EVIDENCE_KEYS = ("kind", "label", "found", "paragraph", "start", "end", "excerpt")
_STATUS_LABELS = {s.value: s.label for s in ClaimStatus}


def claim_rows(claims: QuerySet[Claim], *extra: str) -> QuerySet[Claim, dict[str, Any]]:
    """The claims as rows of what their JSON shows (plus `extra` columns, e.g. a sort key)."""
    return claims.values(*CLAIM_FIELDS, *extra)


def source_rows(sources: QuerySet[Source]) -> QuerySet[Source, dict[str, Any]]:
    """Sources with their latest snapshot's columns (never its text, which can be megabytes)."""
    return sources.values(*SOURCE_FIELDS)


def verdict_rows(verdicts: QuerySet[Verdict]) -> QuerySet[Verdict, dict[str, Any]]:
    return verdicts.values(*VERDICT_FIELDS)


def _user(user_id: int | None, username: str | None) -> dict[str, Any] | None:
    return None if user_id is None else {"id": user_id, "username": username}


# --- Verdicts. ----------------------------------------------------------------------------------


def _verdict(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "rating": {
            "id": row["rating_id"],
            "label": row["rating__label"],
            "value": row["rating__value"],
            "color": row["rating__color"],
        },
        "summary": row["summary"],
        "rationale": row["rationale"],
        "author": _user(row["author_id"], row["author__username"]),
        "created_at": row["created_at"],
        "approved_at": row["approved_at"],
        "published_at": row["published_at"],
        "corrects": row["corrects_id"],
        "correction_note": row["correction_note"],
        "withdrawn_at": row["withdrawn_at"],
        "retracted_at": row["retracted_at"],
        "retraction_note": row["retraction_note"],
    }


def verdicts_json(verdicts: Iterable[Row]) -> list[dict[str, Any]]:
    """Verdict rows (from `verdict_rows`) as verdict JSON."""
    return [_verdict(row) for row in verdicts]


def verdict_json_by_id(verdict_id: int) -> dict[str, Any]:
    return _verdict(verdict_rows(Verdict.objects.filter(pk=verdict_id)).get())


# --- Sources and their snapshots. ---------------------------------------------------------------


def _stored_copy_url(snapshot_id: int) -> str:
    return reverse("snapshot_copy", args=[snapshot_id])


_SNAPSHOT_COLUMNS = [(name, f"snapshot__{name}") for name in SNAPSHOT_FIELDS if name != "body"]


def _snapshot(row: Row) -> dict[str, Any] | None:
    snapshot_id = row["snapshot_id"]
    if snapshot_id is None:
        return None
    snapshot = {"id": snapshot_id}
    for name, column in _SNAPSHOT_COLUMNS:
        snapshot[name] = row[column]
    snapshot["stored_copy_url"] = _stored_copy_url(snapshot_id) if row["snapshot__body"] else None
    return snapshot


def _evidence(items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        return []
    return [{key: item.get(key) for key in EVIDENCE_KEYS} for item in items if isinstance(item, dict)]


def _source(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "claim": row["claim_id"],
        "url": row["url"],
        "note": row["note"],
        "stance": row["stance"],
        "added_by": _user(row["added_by_id"], row["added_by__username"]),
        "created_at": row["created_at"],
        "snapshot": _snapshot(row),
        "evidence": _evidence(row["evidence"]),
    }


def sources_json(sources: Iterable[Row]) -> list[dict[str, Any]]:
    """Source rows (from `source_rows`) as source JSON."""
    return [_source(row) for row in sources]


# --- Claims. ------------------------------------------------------------------------------------


def claims_json(claims: Sequence[Row | Claim]) -> list[dict[str, Any]]:
    """Claim rows (from `claim_rows`) as claim JSON, in order, with one more query for their sources.

    Claim instances are accepted too (a queue page, a claim just written); their rows are read
    again in one query.
    """
    rows = _claim_rows_for(claims)
    sources: dict[int, list[Row]] = {row["id"]: [] for row in rows}
    verdicts: dict[int, Row] = {}
    if rows:
        ids = list(sources)
        for verdict in verdict_rows(Verdict.objects.filter(claim_id__in=ids, is_current=True)):
            verdicts[verdict["claim_id"]] = verdict
        for source in source_rows(Source.objects.filter(claim_id__in=ids).order_by("created_at", "id")):
            sources[source["claim_id"]].append(source)
    return [
        {
            "id": row["id"],
            "article": row["article_id"],
            "exact": row["exact"],
            "prefix": row["prefix"],
            "suffix": row["suffix"],
            "start": row["start"],
            "end": row["end"],
            "anchor_outcome": row["anchor_outcome"],
            "anchor_score": row["anchor_score"],
            "anchored_revision": row["anchored_revision"],
            "restated": row["restated"],
            "restated_by": _user(row["restated_by_id"], row["restated_by__username"]),
            "restated_at": row["restated_at"],
            "claimant": row["claimant"],
            "claimant_kind": row["claimant_kind"],
            "claim_date": row["claim_date"],
            "status": row["status"],
            "status_label": _STATUS_LABELS.get(row["status"], row["status"]),
            "assignee": _user(row["assignee_id"], row["assignee__username"]),
            "priority": row["priority"],
            "due_at": row["due_at"],
            "version": row["version"],
            "created_by": _user(row["created_by_id"], row["created_by__username"]),
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "duplicate_of": row["duplicate_of_id"],
            "current_verdict": _verdict(verdicts[row["id"]]) if row["id"] in verdicts else None,
            "sources": [_source(source) for source in sources[row["id"]]],
        }
        for row in rows
    ]


def _claim_rows_for(claims: Sequence[Row | Claim]) -> list[Row]:
    if not any(isinstance(claim, Claim) for claim in claims):
        return list(claims)  # type: ignore[arg-type]  # all rows, checked above
    ids = [claim.pk if isinstance(claim, Claim) else claim["id"] for claim in claims]
    by_id = {row["id"]: row for row in claim_rows(Claim.objects.filter(pk__in=ids))}
    return [by_id[claim_id] for claim_id in ids if claim_id in by_id]


def claim_json_by_id(claim_id: int) -> dict[str, Any] | None:
    """The claim JSON of one claim as it is now in the database, or None when it is gone."""
    found = claims_json(list(claim_rows(Claim.objects.filter(pk=claim_id))))
    return found[0] if found else None
