"""The preserved sources of a claim, an article or a public fact-check, packaged as one WACZ.

Each snapshot with a WARC contributes it once (sources citing the same snapshot share it), with its
CDXJ lines and a page for its address; the package is written to a temporary file, WARCs copied from
storage in chunks (annotations.archiving.wacz), so memory stays flat.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from annotations.archiving.wacz import ArchivedSource, write_wacz
from annotations.archiving.warc import snapshot_warc_name, software
from annotations.models import Article, Claim, Snapshot, SnapshotStatus


def archived_snapshots(*, team_id: int, snapshot_ids: Iterable[int]) -> QuerySet[Snapshot]:
    """The team's fetched snapshots among these that have a WARC, oldest first."""
    return (
        Snapshot.objects.filter(team_id=team_id, pk__in=list(snapshot_ids), status=SnapshotStatus.FETCHED)
        .exclude(warc="")
        .only("id", "url", "final_url", "title", "fetched_at", "created_at", "warc", "warc_index")
        .order_by("fetched_at", "id")
    )


def claim_archived_snapshots(*, claim: Claim) -> QuerySet[Snapshot]:
    return archived_snapshots(
        team_id=claim.team_id, snapshot_ids=claim.sources.exclude(snapshot=None).values_list("snapshot_id", flat=True)
    )


def article_archived_snapshots(*, article: Article) -> QuerySet[Snapshot]:
    ids = Snapshot.objects.filter(team_id=article.team_id, sources__claim__article=article).values_list("id", flat=True)
    return archived_snapshots(team_id=article.team_id, snapshot_ids=ids)


def _archived(snapshot: Snapshot) -> ArchivedSource:
    return ArchivedSource(
        name=snapshot_warc_name(snapshot.pk),
        open=lambda: default_storage.open(snapshot.warc.name, "rb"),
        index=[line for line in snapshot.warc_index.splitlines() if line],
        url=snapshot.final_url or snapshot.url,
        fetched_at=snapshot.fetched_at or snapshot.created_at,
        title=snapshot.title,
    )


def wacz_file(snapshots: Iterable[Snapshot], *, title: str) -> IO[bytes] | None:
    """The WACZ of these snapshots in a temporary file, rewound; None when there is none to pack."""
    sources = [_archived(snapshot) for snapshot in snapshots]
    if not sources:
        return None
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    try:
        write_wacz(out, sources, title=title, software=software())
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
