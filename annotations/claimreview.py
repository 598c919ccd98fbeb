"""A published fact-check as schema.org ClaimReview (https://schema.org/ClaimReview): the one builder that
the public pages, the API detail and the API's DataFeed all use.

Pure shaping: it reads the rows it is given and makes no queries (the selectors in
annotations.selectors.public load them). What it writes, against Google's fact-check markup
(https://developers.google.com/search/docs/appearance/structured-data/factcheck):

- required: `claimReviewed`, `reviewRating` (with `alternateName`, the rating's label), `url` (the
  public fact-check page, absolute, on the same site as the page that embeds it);
- recommended: `author` (the team as an Organization: name, url, logo), `datePublished` (the first
  publication of the fact-check), `itemReviewed` (a Claim with `author`, `datePublished`,
  `appearance` and `firstAppearance`), and in `reviewRating`: `name`, and `ratingValue`,
  `bestRating`, `worstRating` when the label has a value on the team's scale;
- also: `@id`, `name`, `dateModified` (the latest correction's publication), `reviewBody` (the
  summary, then the rationale) and `reviewRating.ratingExplanation` (the summary).

The claim's `author` is the claimant, as the Person or Organization the desk recorded (a new
claim's claimant is a person until someone says otherwise). Without a claimant it is the
article's publisher, as the Organization that published the claim. With neither it is left out
rather than guessed: it is only recommended, and a wrong author is worse than none.

Dates and times are ISO 8601 in UTC with "Z"; the claim's and the article's dates are plain dates.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from annotations.models import Article, Claim, ClaimantKind, Team, Verdict

SCHEMA_ORG = "https://schema.org"
HYDRA = "http://www.w3.org/ns/hydra/core#"
# The feed's context: schema.org, and the pages' `next` / `previous` links as Hydra's (IRIs), so that
# a JSON-LD processor keeps them where a plain JSON client finds them.
FEED_CONTEXT: list[Any] = [
    SCHEMA_ORG,
    {
        "hydra": HYDRA,
        "next": {"@id": "hydra:next", "@type": "@id"},
        "previous": {"@id": "hydra:previous", "@type": "@id"},
    },
]

Absolute = Callable[[str], str]  # a path made absolute, e.g. request.build_absolute_uri


def iso_datetime(value: datetime.datetime) -> str:
    """ISO 8601 in UTC with "Z", to the second."""
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def fact_check_path(*, team_slug: str, claim_id: int) -> str:
    return reverse("public_fact_check", args=[team_slug, claim_id])


def index_path(*, team_slug: str) -> str:
    return reverse("public_index", args=[team_slug])


def public_name(team: Team) -> str:
    return team.public_name or team.name


@dataclass(frozen=True)
class PublicProfile:
    """Who publishes a team's fact-checks: its public name, address and logo, or the team's name and
    its public index page while they are not set."""

    name: str
    url: str
    logo: str

    @classmethod
    def of(cls, team: Team, *, absolute: Absolute) -> PublicProfile:
        return cls(
            name=public_name(team),
            url=team.public_url or absolute(index_path(team_slug=team.slug)),
            logo=team.logo_url,
        )

    def organization(self) -> dict[str, Any]:
        organization: dict[str, Any] = {"@type": "Organization", "name": self.name, "url": self.url}
        if self.logo:
            organization["logo"] = {"@type": "ImageObject", "url": self.logo}
        return organization


def claim_reviewed(claim: Claim) -> str:
    """The claim as the desk restated it, or else as quoted."""
    return claim.restated or claim.exact


def _article_work(article: Article, *, fallback_url: str) -> dict[str, Any]:
    """Where the claim appeared: the article at its canonical address (or, without one, the fact-check page)."""
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": article.canonical_url or fallback_url,
        "headline": article.title,
    }
    if article.publisher:
        work["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.authors:
        work["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if article.published_on:
        work["datePublished"] = article.published_on.isoformat()
    return work


def _claim_author(claim: Claim, article: Article) -> dict[str, Any] | None:
    if claim.claimant:
        kind = "Organization" if claim.claimant_kind == ClaimantKind.ORGANIZATION else "Person"
        return {"@type": kind, "name": claim.claimant}
    if article.publisher:
        return {"@type": "Organization", "name": article.publisher}
    return None


def _item_reviewed(claim: Claim, *, page_url: str) -> dict[str, Any]:
    article = claim.article
    work = _article_work(article, fallback_url=page_url)
    item: dict[str, Any] = {"@type": "Claim"}
    author = _claim_author(claim, article)
    if author is not None:
        item["author"] = author
    claim_date = claim.claim_date or article.published_on
    if claim_date:
        item["datePublished"] = claim_date.isoformat()
    item["appearance"] = work
    item["firstAppearance"] = work
    return item


def review_rating(verdict: Verdict, *, bounds: tuple[int | None, int | None]) -> dict[str, Any]:
    label = verdict.rating.label
    rating: dict[str, Any] = {"@type": "Rating", "name": label, "alternateName": label}
    best, worst = bounds
    if verdict.rating.value is not None and best is not None and worst is not None:
        rating.update(ratingValue=verdict.rating.value, bestRating=best, worstRating=worst)
    rating["ratingExplanation"] = verdict.summary
    return rating


def review_body(verdict: Verdict) -> str:
    return f"{verdict.summary}\n\n{verdict.rationale}" if verdict.rationale.strip() else verdict.summary


def claimreview(
    *,
    verdict: Verdict,
    claim: Claim,
    profile: PublicProfile,
    first_published_at: datetime.datetime,
    bounds: tuple[int | None, int | None],
    absolute: Absolute,
    context: bool = True,
) -> dict[str, Any]:
    """The current published verdict (with its team) of `claim` (with its article) as ClaimReview.

    `first_published_at` is the fact-check's first publication; `bounds` are the team scale's
    (best, worst) values. Without `context` the object is for a document that has its own (the feed).
    """
    assert verdict.published_at is not None
    page_url = absolute(fact_check_path(team_slug=verdict.team.slug, claim_id=claim.pk))
    reviewed = claim_reviewed(claim)
    review: dict[str, Any] = {"@context": SCHEMA_ORG} if context else {}
    review.update(
        {
            "@type": "ClaimReview",
            "@id": f"{page_url}#claimreview",
            "url": page_url,
            "name": f"Fact check: {reviewed}",
            "claimReviewed": reviewed,
            "reviewRating": review_rating(verdict, bounds=bounds),
            "author": profile.organization(),
            "datePublished": iso_datetime(first_published_at),
            "dateModified": iso_datetime(verdict.published_at),
            "itemReviewed": _item_reviewed(claim, page_url=page_url),
            "reviewBody": review_body(verdict),
        }
    )
    return review


def claimreview_feed(
    *,
    reviews: list[dict[str, Any]],
    profile: PublicProfile,
    url: str,
    next_url: str | None,
    previous_url: str | None,
) -> dict[str, Any]:
    """A page of the team's ClaimReviews as a schema.org DataFeed, with its cursor links."""
    return {
        "@context": FEED_CONTEXT,
        "@type": "DataFeed",
        "@id": url,
        "name": f"{profile.name}: fact-checks",
        "publisher": profile.organization(),
        "next": next_url,
        "previous": previous_url,
        "dataFeedElement": reviews,
    }


_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """JSON for a `<script type="application/ld+json">`: "<", ">" and "&" are written as JSON escapes,
    so no text in it ("</script>", "<!--") can end the element or change how it is parsed."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308  # escaped above: the text cannot leave the script element
