"""The public corrections log: what a team changed or took down after publishing it."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, DateTimeField, F, QuerySet, TextField, Value

from annotations.models import Team, Verdict

CORRECTION = "correction"
RETRACTION = "retraction"


def _entries(verdicts: QuerySet[Verdict], **columns: Any) -> QuerySet[Verdict, Any]:
    """One kind of log entry, in the column order both kinds share (a UNION matches columns by position)."""
    common = {
        "verdict_id": F("id"),
        "claim_pk": F("claim_id"),
        "verdict_is_current": F("is_current"),
        "claim_exact": F("claim__exact"),
        "claimant": F("claim__claimant"),
        "article_title": F("claim__article__title"),
        "article_url": F("claim__article__canonical_url"),
        "rating_label": F("rating__label"),
        "rating_color": F("rating__color"),
        "verdict_summary": F("summary"),
    }
    return verdicts.order_by().values(**common, **columns)


def corrections_for_team(*, team: Team) -> QuerySet[Verdict, Any]:
    """The team's public corrections log, newest first: one query however long.

    Each entry is a dict: `kind` ("correction" or "retraction"), `at` (when), the claim (`claim_pk`
    for its public fact-check page, its quote, claimant and article), the verdict's rating and
    summary (the correction's, or the retracted verdict's) and whether it is still current, the
    public `note`, and for a correction the verdict it replaced. Who retracted is not public: the
    log speaks for the team.
    """
    corrections = _entries(
        Verdict.objects.filter(team=team, corrects__isnull=False, published_at__isnull=False),
        kind=Value(CORRECTION, output_field=CharField()),
        at=F("published_at"),
        note=F("correction_note"),
        verdict_published_at=F("published_at"),
        previous_rating_label=F("corrects__rating__label"),
        previous_rating_color=F("corrects__rating__color"),
        previous_summary=F("corrects__summary"),
        previous_published_at=F("corrects__published_at"),
    )
    retractions = _entries(
        Verdict.objects.filter(team=team, retracted_at__isnull=False),
        kind=Value(RETRACTION, output_field=CharField()),
        at=F("retracted_at"),
        note=F("retraction_note"),
        verdict_published_at=F("published_at"),
        previous_rating_label=Value(None, output_field=CharField()),
        previous_rating_color=Value(None, output_field=CharField()),
        previous_summary=Value(None, output_field=TextField()),
        previous_published_at=Value(None, output_field=DateTimeField()),
    )
    return corrections.union(retractions, all=True).order_by("-at", "-verdict_id", "kind")
