"""A fact-check's preserved sources as one WACZ: a claim's or a whole article's for the team, and a
published fact-check's for anyone (only the sources its public page lists, as preserved by then).
Served in byte ranges too, as web-archive players read a WACZ (annotations.views.ranges)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from annotations import policy
from annotations.claimreview import public_name
from annotations.models import Snapshot
from annotations.selectors.archives import (
    archived_snapshots,
    article_archived_snapshots,
    claim_archived_snapshots,
)
from annotations.selectors.public import fact_check_get
from annotations.services.archives import wacz_kept
from annotations.views.ranges import ranged_file

WACZ_TYPE = "application/wacz"


def _wacz_response(
    request: HttpRequest, snapshots: Iterable[Snapshot], *, title: str, filename: str, cache: str
) -> HttpResponseBase:
    try:
        kept = wacz_kept(snapshots, title=title)
    except FileNotFoundError as exc:
        raise Http404("A preserved copy is missing from storage.") from exc
    if kept is None:
        raise Http404("No source has a preserved copy yet.")
    package, size = kept
    response = ranged_file(request, package, size=size, content_type=WACZ_TYPE, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response


@policy.performs(GET="snapshot.read")
def claim_wacz(request: HttpRequest, claim_id: int) -> HttpResponseBase:
    claim = policy.claim_for(request, claim_id)
    return _wacz_response(
        request,
        claim_archived_snapshots(claim=claim),
        title=f"Sources of claim {claim.pk}: {claim.exact[:200]}",
        filename=f"claim-{claim.pk}-sources.wacz",
        cache="private, no-cache",
    )


@policy.performs(GET="snapshot.read")
def article_wacz(request: HttpRequest, article_id: int) -> HttpResponseBase:
    article = policy.article_for(request, article_id, defer=policy.ARTICLE_TEXTS)
    return _wacz_response(
        request,
        article_archived_snapshots(article=article),
        title=f"Sources of the fact-check of {article.title[:200]}",
        filename=f"article-{article.pk}-sources.wacz",
        cache="private, no-cache",
    )


@policy.performs(GET="public.read")
def fact_check_wacz(request: HttpRequest, team_slug: str, claim_id: int) -> HttpResponseBase:
    found = fact_check_get(team_slug=team_slug, claim_id=claim_id)
    if found is None or found.retracted:
        raise Http404("No published fact-check here.")
    return _wacz_response(
        request,
        archived_snapshots(team_id=found.team.pk, snapshot_ids=found.archived_snapshots),
        title=f"{public_name(found.team)}: the sources of a fact-check of “{found.claim.exact[:200]}”",
        filename=f"fact-check-{found.team.slug}-{found.claim.pk}-sources.wacz",
        cache="public, max-age=300",
    )
