"""The evidence of cited sources, found in the worker: once per (source, claim wording, snapshot).

What changes a source's evidence (pointing it at another snapshot, the claim's wording being
edited) marks it `evidence_pending`, with its evidence cleared, in the same transaction, and queues
the check for when that transaction commits, or, while its snapshot is being fetched, for when the
fetch task has prepared the new text (`snapshot_evidence_start`); the outbox sweep sends a check
whose send was lost. A snapshot's text is prepared once and kept (`SnapshotFold`). The check
(`source_evidence_check`) runs in a task, outside any transaction and lock: it finds the evidence,
and records it only if the source still has the snapshot and the claim still has the wording it
was found for, together with them, so a repeat is skipped.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet

from annotations import outbox
from annotations.evidence import EVIDENCE_VERSION, Report, evidence_in, prepare
from annotations.extraction import page_starts
from annotations.models import Claim, Snapshot, SnapshotFold, SnapshotStatus, Source

EVIDENCE_MAX_CHARS = 5_000_000
"""Evidence is looked for in this much of the text: preparing it costs time and memory in proportion."""

_CHECKABLE = (SnapshotStatus.PENDING, SnapshotStatus.FETCHING, SnapshotStatus.FETCHED)
_REPORT_PARTS = ("folded", "folded_offsets", "loose", "loose_offsets", "figures")


def wording_digest(*, exact: str, restated: str) -> str:
    """What evidence depends on in a claim: its quote and restated wording (and how evidence is found)."""
    wording = f"{EVIDENCE_VERSION}:{len(exact)}:{exact}{restated}"
    return hashlib.sha256(wording.encode()).hexdigest()


def _out_of_date() -> dict[str, Any]:
    return {"evidence": [], "evidence_pending": True, "evidence_wording": "", "evidence_queued_at": None}


def source_snapshot_set(*, source: Source, snapshot: Snapshot) -> None:
    """Point the source at the snapshot. Its evidence is found again: on commit if the snapshot is
    fetched, else once it is."""
    source.snapshot = snapshot
    cleared = _out_of_date()
    for name, value in cleared.items():
        setattr(source, name, value)
    source.save(update_fields=["snapshot", *cleared])
    if snapshot.status == SnapshotStatus.FETCHED:
        outbox.queue_on_commit(outbox.EVIDENCE, source.pk)


def sources_evidence_out_of_date(*, sources: QuerySet[Source]) -> None:
    """The sources' claim changed its wording: their evidence is found again, on commit for a fetched
    snapshot, after the fetch for one still being fetched. A source whose fetch failed has none.

    Call inside the transaction that changed the wording.
    """
    sources = sources.filter(snapshot__status__in=_CHECKABLE)
    due = list(sources.filter(snapshot__status=SnapshotStatus.FETCHED).values_list("id", flat=True))
    sources.update(**_out_of_date())
    outbox.queue_on_commit(outbox.EVIDENCE, *due)


def snapshot_evidence_start(*, snapshot_id: int) -> None:
    """The snapshot was just fetched: prepare its text for the evidence check and keep it, then queue
    the check of every source waiting for it. Call after the fetch has committed (no row locked); a
    check whose send is lost is sent by the outbox sweep."""
    snapshot_report(snapshot_id=snapshot_id)
    waiting = Source.objects.filter(snapshot_id=snapshot_id, evidence_pending=True).values_list("id", flat=True)
    outbox.queue_on_commit(outbox.EVIDENCE, *waiting)


def snapshot_evidence_none(*, snapshot: Snapshot) -> None:
    """The snapshot's fetch failed or was blocked: its sources have no evidence, and none is pending."""
    Source.objects.filter(snapshot=snapshot).update(
        evidence=[], evidence_pending=False, evidence_snapshot=snapshot, evidence_wording=""
    )


def source_evidence_check(*, source_id: int) -> str:
    """Find the source's evidence in its snapshot, for its claim's wording. Safe to run twice.

    Runs outside any transaction: only the final write locks the source row (never the snapshot's),
    and only if the source still has the snapshot and the claim still has the wording the evidence
    was found for; otherwise whatever changed them has queued another check ("superseded").
    """
    row = (
        Source.objects.filter(pk=source_id)
        .values(
            "snapshot_id",
            "snapshot__status",
            "evidence_snapshot_id",
            "evidence_wording",
            exact=F("claim__exact"),
            restated=F("claim__restated"),
            language=F("claim__article__language"),
        )
        .first()
    )
    if row is None:
        return "missing"
    if row["snapshot__status"] != SnapshotStatus.FETCHED:
        return "waiting"
    snapshot_id = row["snapshot_id"]
    wording = wording_digest(exact=row["exact"], restated=row["restated"])
    if row["evidence_snapshot_id"] == snapshot_id and row["evidence_wording"] == wording:
        return "current"  # whatever makes evidence out of date also clears `evidence_wording`
    items = evidence_in_snapshot(
        snapshot_id=snapshot_id, exact=row["exact"], restated=row["restated"], language=row["language"]
    )
    with transaction.atomic():
        locked = Source.objects.select_for_update(no_key=True).filter(pk=source_id).values("snapshot_id", "claim_id")
        current = locked.first()
        if current is None:
            return "missing"
        # Read after the lock, in a statement of its own, so a new wording committed meanwhile is seen.
        claim = Claim.objects.filter(pk=current["claim_id"]).values("exact", "restated").get()
        if current["snapshot_id"] != snapshot_id or wording_digest(**claim) != wording:
            return "superseded"
        Source.objects.filter(pk=source_id).update(
            evidence=items, evidence_pending=False, evidence_snapshot_id=snapshot_id, evidence_wording=wording
        )
    return "found"


def evidence_in_snapshot(*, snapshot_id: int, exact: str, restated: str, language: str = "") -> list[dict[str, Any]]:
    """Where the snapshot's text has the claim's quote, restatement and key figures (the evidence JSON).

    Each item names the snapshot it was found in, from which the API writes the address of the
    passage in the snapshot's text view. `language` is the claim's article's (BCP 47).
    """
    report, whole = snapshot_report(snapshot_id=snapshot_id)
    if report is None:
        return []
    found = evidence_in(report, quote=exact, restated=restated, language=language)
    items = [{**dataclasses.asdict(item), "snapshot": snapshot_id} for item in found]
    if not whole:
        searched = f"not found in the first {len(report.text):,} characters of the report"
        for item in items:
            if not item["found"]:
                item["label"] = item["label"].replace("not found in the report", searched)
    return items


def snapshot_report(*, snapshot_id: int) -> tuple[Report | None, bool]:
    """The snapshot's text prepared for the evidence check, as kept, else prepared now and kept (None:
    the snapshot has no text), with where its pages start for a PDF, and whether it is the whole
    text (else its first EVIDENCE_MAX_CHARS).

    Two checks preparing the same snapshot at once both write it; either is right.
    """
    kept = (
        SnapshotFold.objects.filter(snapshot_id=snapshot_id, version=EVIDENCE_VERSION)
        .values("chars", *_REPORT_PARTS, text=F("snapshot__text"), pages=F("snapshot__pages"))
        .first()
    )
    if kept is not None:
        text, pages = kept["text"], kept["pages"]
    else:
        text, pages = Snapshot.objects.values_list("text", "pages").get(pk=snapshot_id)
    searched = text[:EVIDENCE_MAX_CHARS]
    whole = len(searched) == len(text)
    starts = tuple(page_starts(pages or [], len(text)))
    if kept is not None and kept["chars"] == len(searched):
        parts = {part: kept[part] for part in _REPORT_PARTS}
        return Report.from_parts(text=searched, page_starts=starts, **parts), whole
    if not searched.strip():
        return None, whole
    report = dataclasses.replace(prepare(searched), page_starts=starts)
    SnapshotFold.objects.bulk_create(
        [SnapshotFold(snapshot_id=snapshot_id, version=EVIDENCE_VERSION, chars=len(searched), **report.parts())],
        update_conflicts=True,
        unique_fields=["snapshot"],
        update_fields=["version", "chars", *_REPORT_PARTS],
    )
    return report, whole
