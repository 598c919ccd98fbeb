"""Public fact-check pages: one page per published fact-check, the team's index, its Atom feed and the sitemap.

No login, no JavaScript. A fact-check's address is `/fact-checks/<team>/<claim id>/`: the claim's
id, not a slug of its wording, so the address stays the same across corrections, a retraction and
a later re-publication (a slug would change with a reworded claim or need storing and redirecting;
the page's title and headline carry the words). A retracted fact-check keeps its page, as a
tombstone that says why, without ClaimReview. Only what was published is shown (see
annotations.selectors.public).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from annotations import policy
from annotations.claimreview import (
    PublicProfile,
    claim_reviewed,
    claimreview,
    fact_check_path,
    index_path,
    json_ld_script,
    public_name,
)
from annotations.models import Team, Verdict
from annotations.selectors.public import (
    fact_check_get,
    public_fact_check_locations,
    public_index,
    public_index_pages,
    public_team,
    web_address,
)
from annotations.selectors.workflow import RECORD_STATUSES

INDEX_PAGE_SIZE = 20
FEED_SIZE = 50
# A BCP 47 tag ("en", "pt-BR", "zh-Hant-TW"); an article's language that is not one gets no lang attribute.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def person_name(user: Any) -> str:
    """How a desk member is credited in public: their full name, else their username (never an address)."""
    if user is None:
        return ""
    name = str(user.get_full_name() or user.get_username())
    return name.split("@", 1)[0] if "@" in name else name


@policy.performs(GET="public.read")
def fact_check(request: HttpRequest, team_slug: str, claim_id: int) -> HttpResponse:
    found = fact_check_get(team_slug=team_slug, claim_id=claim_id)
    if found is None:
        raise Http404("No published fact-check here.")
    team, claim, headline = found.team, found.claim, found.headline
    profile = PublicProfile.of(team, absolute=request.build_absolute_uri)
    structured = None
    if not found.retracted:
        structured = json_ld_script(
            claimreview(
                verdict=headline,
                claim=claim,
                profile=profile,
                first_published_at=found.first_published_at,
                bounds=found.scale.bounds,
                absolute=request.build_absolute_uri,
            )
        )
    # A claim reopened after its retraction may be reworded for its next check: until that is
    # published, only the quote (the article's own words) stays public.
    wording_public = claim.status in RECORD_STATUSES
    context = {
        "public_team": team,
        "profile": profile,
        "fact_check": found,
        "claim": claim,
        "article": claim.article,
        "article_href": web_address(claim.article.canonical_url),
        "quote_lang": claim.article.language if LANGUAGE_TAG.match(claim.article.language) else "",
        "verdict": headline,
        "show_claimant": wording_public,
        "claim_reviewed": claim_reviewed(claim) if wording_public else claim.exact,
        "reviewer": person_name(headline.author),
        "approver": person_name(headline.approved_by),
        "page_url": request.build_absolute_uri(fact_check_path(team_slug=team.slug, claim_id=claim.pk)),
        "claimreview": structured,
    }
    return render(request, "public/fact_check.html", context)


@policy.performs(GET="public.read")
def fact_check_index(request: HttpRequest, team_slug: str) -> HttpResponse:
    team = public_team(slug=team_slug)
    if team is None:
        raise Http404("No such team.")
    page = Paginator(public_index(team=team), INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "public_team": team,
        "profile": PublicProfile.of(team, absolute=request.build_absolute_uri),
        "page": page,
        "page_url": request.build_absolute_uri(
            index_path(team_slug=team.slug) + (f"?page={page.number}" if page.number > 1 else "")
        ),
    }
    return render(request, "public/index.html", context)


class TeamFactCheckFeed(Feed):
    """The team's fact-checks as Atom, the latest published, corrected or retracted first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, team_slug: str) -> Team:
        team = public_team(slug=team_slug)
        if team is None:
            raise Http404("No such team.")
        return team

    def title(self, team: Team) -> str:
        return f"{public_name(team)}: fact-checks"

    def subtitle(self, team: Team) -> str:
        return f"Fact-checks published by {public_name(team)}, with their corrections and retractions."

    def link(self, team: Team) -> str:
        return index_path(team_slug=team.slug)

    def feed_url(self, team: Team) -> str:
        return reverse("public_feed", args=[team.slug])

    def author_name(self, team: Team) -> str:
        return public_name(team)

    def items(self, team: Team) -> list[Verdict]:
        rows = list(public_index(team=team)[:FEED_SIZE])
        for row in rows:
            row.team = team
        return rows

    def item_title(self, verdict: Verdict) -> str:
        if verdict.retracted_at is not None:
            return f"Retracted: {verdict.claim.exact}"
        return f"{verdict.rating.label}: {claim_reviewed(verdict.claim)}"

    def item_description(self, verdict: Verdict) -> str:
        # Atom's summary is HTML here: escape the plain text.
        if verdict.retracted_at is not None:
            return escape(f"This fact-check was retracted. {verdict.retraction_note}")
        return escape(verdict.summary)

    def item_link(self, verdict: Verdict) -> str:
        return fact_check_path(team_slug=verdict.team.slug, claim_id=verdict.claim_id)

    def item_pubdate(self, verdict: Verdict) -> Any:
        return verdict.first_published_at  # type: ignore[attr-defined]  # annotated by the selector

    def item_updateddate(self, verdict: Verdict) -> Any:
        return verdict.changed_at  # type: ignore[attr-defined]  # annotated by the selector

    def item_categories(self, verdict: Verdict) -> list[str]:
        return ["Retracted"] if verdict.retracted_at is not None else [verdict.rating.label]


class FactCheckSitemap(Sitemap):
    """Every public fact-check page, tombstones included (up to the protocol's 50,000 addresses)."""

    def items(self) -> Any:
        return public_fact_check_locations()

    def location(self, item: dict[str, Any]) -> str:
        return fact_check_path(team_slug=item["team__slug"], claim_id=item["claim_id"])

    def lastmod(self, item: dict[str, Any]) -> Any:
        return item["changed_at"]


class FactCheckIndexSitemap(Sitemap):
    """Every page of every team's index of fact-checks."""

    def items(self) -> list[tuple[str, int, Any]]:
        return [
            (row.team_slug, number, row.changed_at)
            for row in public_index_pages(page_size=INDEX_PAGE_SIZE)
            for number in range(1, row.pages + 1)
        ]

    def location(self, item: tuple[str, int, Any]) -> str:
        slug, number, _ = item
        path = index_path(team_slug=slug)
        return path if number == 1 else f"{path}?page={number}"

    def lastmod(self, item: tuple[str, int, Any]) -> Any:
        return item[2]


SITEMAPS: dict[str, type[Sitemap]] = {"fact-checks": FactCheckSitemap, "indexes": FactCheckIndexSitemap}
