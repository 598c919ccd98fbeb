"""Checked against the fields schema.org ClaimReview (and Google's fact-check markup) requires."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from annotations.models import ClaimStatus, Role, Verdict
from annotations.services.verdicts import verdict_propose
from annotations.services.workflow import (
    claim_approve,
    claim_approve_correction,
    claim_assign,
    claim_propose,
    claim_propose_correction,
    claim_publish,
    claim_publish_correction,
    claim_retract,
)
from tests.factories import ClaimFactory, MembershipFactory, UserFactory, rating

pytestmark = pytest.mark.django_db


def publish(claim: Any, user: Any, label: str = "False") -> Verdict:
    verdict = verdict_propose(claim=claim, user=user, rating=rating(claim.team, label), summary="It was €38m.")
    now = timezone.now()
    Verdict.objects.filter(pk=verdict.pk).update(approved_at=now, published_at=now)
    claim.status = ClaimStatus.PUBLISHED
    claim.save()
    return verdict


def assert_claimreview(review: dict[str, Any]) -> None:
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"].startswith("http") and review["datePublished"]
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    assert review["claimReviewed"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["appearance"]["url"].startswith("http")
    rating_ = review["reviewRating"]
    assert rating_["@type"] == "Rating" and rating_["alternateName"]


def test_published_verdict_as_claimreview(api: Any, claim: Any, reviewer: Any, team: Any) -> None:
    claim.claimant = "Ines Okafor"
    claim.claim_date = timezone.now().date()
    claim.save()
    assert api.get(f"/api/v1/claims/{claim.pk}/claimreview").status_code == 404  # nothing published yet
    publish(claim, reviewer)
    response = api.get(f"/api/v1/claims/{claim.pk}/claimreview")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    review = response.json()
    assert_claimreview(review)
    assert review["author"]["name"] == team.name
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Ines Okafor"}
    assert review["itemReviewed"]["datePublished"] == claim.claim_date.isoformat()
    assert review["itemReviewed"]["appearance"]["url"] == "https://news.example.org/flood-wall"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 2,
        "bestRating": 6,
        "worstRating": 1,
    }


def test_unpublished_verdict_is_404(api: Any, claim: Any, reviewer: Any) -> None:
    verdict_propose(claim=claim, user=reviewer, rating=rating(claim.team, "True"), summary="ok")
    assert api.get(f"/api/v1/claims/{claim.pk}/claimreview").status_code == 404


def test_team_feed_pages_with_fixed_queries(
    api: Any, key_api: Any, article: Any, reviewer: Any, team: Any, django_assert_max_num_queries: Any
) -> None:
    publish(ClaimFactory(article=article, exact="council"), reviewer)
    ClaimFactory(article=article, exact="river")  # not published: not in the feed
    url = f"/api/v1/teams/{team.pk}/claimreview"
    with django_assert_max_num_queries(8) as few:
        assert len(api.get(url).json()["results"]) == 1
    for i in range(6):
        publish(ClaimFactory(article=article, exact="Mayor", hint=i), reviewer, "True")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = key_api.get(f"{url}?page_size=5").json()
    assert len(body["results"]) == 5 and body["next"]
    for review in body["results"]:
        assert_claimreview(review)
    rest = key_api.get(body["next"]).json()["results"]
    assert len(rest) == 2
    assert len(api.get(f"{url}?rating={rating(team, 'False').pk}").json()["results"]) == 1


def test_isolation(outsider_api: Any, claim: Any, reviewer: Any, team: Any) -> None:
    publish(claim, reviewer)
    assert outsider_api.get(f"/api/v1/claims/{claim.pk}/claimreview").status_code == 404
    assert outsider_api.get(f"/api/v1/teams/{team.pk}/claimreview").status_code == 404


def test_team_feed_filters_by_the_claim(api: Any, article: Any, reviewer: Any, team: Any) -> None:
    okafor = ClaimFactory(article=article, exact="council")
    okafor.claimant = "Ines Okafor"
    okafor.save()
    publish(okafor, reviewer)
    publish(ClaimFactory(article=article, exact="river"), reviewer, "True")
    url = f"/api/v1/teams/{team.pk}/claimreview"

    def claims(query: str) -> list[str]:
        return [review["claimReviewed"] for review in api.get(f"{url}?{query}").json()["results"]]

    assert claims("claimant=okafor") == ["council"]
    assert sorted(claims("status=published")) == ["council", "river"]
    assert claims("assignee=none&q=river") == ["river"]
    assert claims("article_url=https://elsewhere.example.org/story") == []
    assert api.get(f"{url}?status=bogus").status_code == 400


def test_the_published_verdict_stays_in_the_feed_until_its_correction_is_published_and_retraction_removes_it(
    api: Any, claim: Any, reviewer: Any, editor: Any, team: Any
) -> None:
    chief = MembershipFactory(team=team, user=UserFactory(username="sam"), role=Role.EDITOR).user
    claim = claim_assign(claim=claim, user=editor, assignee=reviewer)
    claim = claim_propose(claim=claim, user=reviewer, rating=rating(team, "False"), summary="It was €38m.")
    claim = claim_publish(claim=claim_approve(claim=claim, user=chief), user=chief)
    detail = f"/api/v1/claims/{claim.pk}/claimreview"
    feed = f"/api/v1/teams/{team.pk}/claimreview"

    def reviews() -> list[str]:
        return [review["reviewBody"] for review in api.get(feed).json()["results"]]

    assert api.get(detail).json()["reviewBody"] == "It was €38m." and reviews() == ["It was €38m."]
    claim = claim_propose_correction(
        claim=claim, user=reviewer, rating=rating(team, "Half true"), summary="It was €44m.", note="Revised tender."
    )
    assert api.get(detail).json()["reviewBody"] == "It was €38m." and reviews() == ["It was €38m."]
    claim = claim_approve_correction(claim=claim, user=editor)
    assert api.get(detail).json()["reviewBody"] == "It was €38m." and reviews() == ["It was €38m."]
    claim = claim_publish_correction(claim=claim, user=chief)
    review = api.get(detail).json()
    assert review["reviewBody"] == "It was €44m." and review["reviewRating"]["alternateName"] == "Half true"
    assert review["dateModified"] and reviews() == ["It was €44m."]

    claim = claim_propose_correction(
        claim=claim, user=reviewer, rating=rating(team, "True"), summary="It was €48m.", note="Final accounts."
    )
    claim_retract(claim=claim, user=editor, note="The tender documents were forged.")
    assert api.get(detail).status_code == 404
    assert reviews() == []
