"""What the public may read: published fact-checks, for their pages, the team index, the feeds and the sitemap.

A claim has a public fact-check once one of its verdicts was published. Its *headline* is the
latest published verdict: the current one while it stands (a published correction takes its
place), or, once retracted, the retracted verdict, which the page shows as a tombstone. Nothing
else is read here: drafts, corrections under review or withdrawn, comments, the desk's notes on
sources, and who retracted (a retraction speaks for the team) never reach a public page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from annotations.models import Claim, Rating, Snapshot, SnapshotStatus, Source, Stance, Team, Verdict


@dataclass(frozen=True)
class Scale:
    """The scored ratings of a team's scale, worst first; unscored labels (Unproven) have no place on it."""

    ratings: tuple[tuple[str, int], ...]

    @property
    def worst(self) -> tuple[str, int] | None:
        return self.ratings[0] if self.ratings else None

    @property
    def best(self) -> tuple[str, int] | None:
        return self.ratings[-1] if self.ratings else None

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        """(bestRating, worstRating) for ClaimReview."""
        return (self.best[1] if self.best else None, self.worst[1] if self.worst else None)


def scale_of(*, team_id: int) -> Scale:
    rows = Rating.objects.filter(scale__team_id=team_id, value__isnull=False).order_by("value")
    ratings = tuple((label, value) for label, value in rows.values_list("label", "value") if value is not None)
    return Scale(ratings=ratings)


def _first_publication() -> Subquery:
    """When the claim's fact-check was first published (any of its verdicts, also one retracted since)."""
    first = Verdict.objects.filter(claim=OuterRef("claim_id"), published_at__isnull=False).order_by("published_at")
    return Subquery(first.values("published_at")[:1])


def published_verdicts(*, team_ids: Any) -> QuerySet[Verdict]:
    """Current published verdicts, not retracted: the ClaimReview detail and feed.

    A correction under review leaves the published verdict here until it is published in its place.
    Each carries `first_published_at`, the first publication of its claim's fact-check.
    """
    return (
        Verdict.objects.filter(
            team__in=team_ids, is_current=True, published_at__isnull=False, retracted_at__isnull=True
        )
        .annotate(first_published_at=_first_publication())
        .select_related("rating", "team", "claim", "claim__article")
    )


def headline_verdicts(*, team: Team | None = None) -> QuerySet[Verdict]:
    """One verdict per public fact-check (of `team`, or of every team): the current published verdict,
    or the retracted one for a tombstone. Each carries `first_published_at` and `changed_at` (its
    publication, or its retraction)."""
    published_later = Verdict.objects.filter(claim=OuterRef("claim_id"), published_at__gt=OuterRef("published_at"))
    verdicts = Verdict.objects.filter(published_at__isnull=False).filter(
        Q(is_current=True, retracted_at__isnull=True) | Q(Q(retracted_at__isnull=False), ~Exists(published_later))
    )
    if team is not None:
        verdicts = verdicts.filter(team=team)
    return verdicts.annotate(
        first_published_at=_first_publication(), changed_at=Coalesce("retracted_at", "published_at")
    )


def public_index(*, team: Team) -> QuerySet[Verdict]:
    """The team's public fact-checks, the most recently published, corrected or retracted first."""
    return (
        headline_verdicts(team=team).select_related("rating", "claim", "claim__article").order_by("-changed_at", "-id")
    )


def public_team(*, slug: str) -> Team | None:
    return Team.objects.filter(slug=slug).first()


@dataclass(frozen=True)
class IndexPages:
    team_slug: str
    pages: int
    changed_at: datetime.datetime


def public_index_pages(*, page_size: int) -> list[IndexPages]:
    """How many index pages each team with a public fact-check has, and when the newest changed: one query."""
    rows = (
        headline_verdicts()
        .order_by()
        .values("team__slug")
        .annotate(count=Count("id"), last=Max("changed_at"))
        .order_by("team__slug")
    )
    return [
        IndexPages(team_slug=row["team__slug"], pages=-(-row["count"] // page_size), changed_at=row["last"])
        for row in rows
    ]


def public_fact_check_locations() -> QuerySet[Verdict, dict[str, Any]]:
    """Every public fact-check's team, claim and last change, for the sitemap."""
    rows = headline_verdicts().order_by("-changed_at", "-id")
    return rows.values("team__slug", "claim_id", "changed_at")  # type: ignore[misc]  # an annotation the plugin cannot see


# --- One fact-check page -------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicSource:
    url: str
    href: str | None  # None unless the address is http(s)
    stance: str
    title: str
    preserved_at: datetime.datetime | None
    sha256: str
    archived_snapshot: int | None = None  # the preserved copy, when it has a WARC


@dataclass(frozen=True)
class RecordEvent:
    """One step of the public record: a publication, a correction (with what it replaced) or a retraction."""

    kind: str  # "published", "corrected" or "retracted"
    at: datetime.datetime
    verdict: Verdict
    note: str = ""
    replaced: Verdict | None = None


@dataclass(frozen=True)
class FactCheck:
    claim: Claim  # with its team and article
    verdicts: list[Verdict]  # every published verdict, the latest publication first
    sources: list[PublicSource]
    scale: Scale

    @property
    def team(self) -> Team:
        return self.claim.team

    @property
    def headline(self) -> Verdict:
        return self.verdicts[0]

    @property
    def retracted(self) -> bool:
        return self.headline.retracted_at is not None

    @property
    def first_published_at(self) -> datetime.datetime:
        published = self.verdicts[-1].published_at
        assert published is not None
        return published

    @property
    def modified_at(self) -> datetime.datetime:
        """When the record last changed: the headline's publication, or its retraction."""
        changed = self.headline.retracted_at or self.headline.published_at
        assert changed is not None
        return changed

    @property
    def record(self) -> list[RecordEvent]:
        return public_record(self.verdicts)

    @property
    def archived_snapshots(self) -> list[int]:
        """The preserved copies of the public sources that have a WARC (for the fact-check's WACZ)."""
        return [source.archived_snapshot for source in self.sources if source.archived_snapshot is not None]

    @property
    def corrected(self) -> bool:
        return any(event.kind != "published" for event in self.record)


def public_record(verdicts: Iterable[Verdict]) -> list[RecordEvent]:
    """The published verdicts as the steps of the public record, the latest first."""
    by_id = {verdict.pk: verdict for verdict in verdicts}
    events: list[RecordEvent] = []
    for verdict in by_id.values():
        assert verdict.published_at is not None
        if verdict.corrects_id is not None:
            events.append(
                RecordEvent(
                    "corrected",
                    verdict.published_at,
                    verdict,
                    verdict.correction_note,
                    by_id.get(verdict.corrects_id),
                )
            )
        else:
            events.append(RecordEvent("published", verdict.published_at, verdict))
        if verdict.retracted_at is not None:
            events.append(RecordEvent("retracted", verdict.retracted_at, verdict, verdict.retraction_note))
    order = {"published": 0, "corrected": 1, "retracted": 2}
    return sorted(events, key=lambda e: (e.at, order[e.kind], e.verdict.pk), reverse=True)


def web_address(url: str) -> str | None:
    """`url` if it is an http(s) address, for a link; None otherwise."""
    return url if url.lower().startswith(("https://", "http://")) else None


def _public_sources(*, claim: Claim, published_at: datetime.datetime) -> list[PublicSource]:
    """The sources cited when the verdict was published, each with the copy preserved by then (or the
    source's own copy when it was fetched only afterwards): two queries however many."""
    sources = list(
        Source.objects.filter(claim=claim, created_at__lte=published_at)
        .select_related("snapshot")
        .order_by("created_at", "id")
    )
    by_then: dict[str, Snapshot] = {
        snapshot.url: snapshot
        for snapshot in Snapshot.objects.filter(
            team_id=claim.team_id,
            url__in={source.url for source in sources},
            status=SnapshotStatus.FETCHED,
            fetched_at__lte=published_at,
        )
        .order_by("url", "-fetched_at", "-id")
        .distinct("url")
        .only("url", "title", "fetched_at", "sha256", "warc")
    }
    rows = []
    for source in sources:
        snapshot = by_then.get(source.url)
        if snapshot is None and source.snapshot is not None and source.snapshot.status == SnapshotStatus.FETCHED:
            snapshot = source.snapshot
        rows.append(
            PublicSource(
                url=source.url,
                href=web_address(source.url),
                stance=str(Stance(source.stance).label),
                title=snapshot.title if snapshot is not None else "",
                preserved_at=snapshot.fetched_at if snapshot is not None else None,
                sha256=snapshot.sha256 if snapshot is not None else "",
                archived_snapshot=snapshot.pk if snapshot is not None and snapshot.warc else None,
            )
        )
    return rows


def fact_check_get(*, team_slug: str, claim_id: int) -> FactCheck | None:
    """The public fact-check of a claim, or None when none of its verdicts was ever published.

    A fixed number of queries: the claim, its published verdicts, the scale, and for a standing
    fact-check its sources and their preserved copies.
    """
    claim = Claim.objects.select_related("team", "article").filter(pk=claim_id, team__slug=team_slug).first()
    if claim is None:
        return None
    verdicts = list(
        Verdict.objects.filter(claim=claim, published_at__isnull=False)
        .select_related("rating", "author", "approved_by")
        .order_by("-published_at", "-id")
    )
    if not verdicts:
        return None
    for verdict in verdicts:
        verdict.claim = claim
        verdict.team = claim.team
    headline = verdicts[0]
    assert headline.published_at is not None
    sources = []
    if headline.retracted_at is None:
        sources = _public_sources(claim=claim, published_at=headline.published_at)
    return FactCheck(claim=claim, verdicts=verdicts, sources=sources, scale=scale_of(team_id=claim.team_id))
