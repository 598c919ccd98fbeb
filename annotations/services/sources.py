from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from annotations import outbox
from annotations.errors import InvalidInput
from annotations.fetching.urls import InvalidURL, normalize_url
from annotations.models import Claim, Source, Stance
from annotations.services.audit import audit_record
from annotations.services.snapshots import IN_FLIGHT, snapshot_for_source


@transaction.atomic
def source_add(*, claim: Claim, user: User | None, url: str, stance: str, note: str = "") -> Source:
    """Cite a report for a claim. The link is kept as given (without surrounding spaces) once it has
    passed the fetcher's URL checks; the fetch uses its normal form."""
    if stance not in Stance.values:
        raise InvalidInput(f"stance must be one of {', '.join(Stance.values)}.", field="stance")
    url = url.strip()
    try:
        normalize_url(url)
    except InvalidURL as exc:
        raise InvalidInput(str(exc), field="url") from exc
    source = Source.objects.create(team_id=claim.team_id, claim=claim, url=url, stance=stance, note=note, added_by=user)
    audit_record(
        team=claim.team,
        actor=user,
        action="source.add",
        target=source,
        claim=claim,
        after={"url": url, "stance": stance},
    )
    _fetch_on_commit(source=source, fresh=False)
    return source


@transaction.atomic
def source_refetch(*, source: Source, user: User | None) -> Source:
    """Fetch the source's report again into a new snapshot; the earlier snapshot is kept unchanged.

    While a fetch of the source is still pending or running, it is not duplicated.
    """
    source = (
        Source.objects.select_for_update(of=("self",)).select_related("team", "claim", "snapshot").get(pk=source.pk)
    )
    before = {"snapshot": source.snapshot_id}
    if source.snapshot is not None and source.snapshot.status in IN_FLIGHT:
        return source
    _fetch_on_commit(source=source, fresh=True)
    audit_record(
        team=source.team,
        actor=user,
        action="source.refetch",
        target=source,
        claim=source.claim,
        before=before,
        after={"snapshot": source.snapshot_id},
    )
    return source


def _fetch_on_commit(*, source: Source, fresh: bool) -> None:
    snapshot, needs_fetch = snapshot_for_source(source=source, fresh=fresh)
    if needs_fetch:
        snapshot_id = snapshot.pk
        outbox.queue_on_commit(outbox.FETCH, snapshot_id)
