"""ClaimReview, property by property, against Google's fact-check markup
(https://developers.google.com/search/docs/appearance/structured-data/factcheck): required
`claimReviewed`, `reviewRating.alternateName`, `url`; recommended `author`, `datePublished`,
`itemReviewed` (a Claim with `author`, `datePublished`, `appearance`, `firstAppearance`) and the
rating's `name`, `ratingValue`, `bestRating`, `worstRating`. And the team feed as a schema.org
DataFeed that a JSON-LD processor expands (pyld, with the schema.org context served locally).
"""

from __future__ import annotations

import datetime
import importlib
import re
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.api.claimreview import ClaimReviewFeedOut, ClaimReviewOut
from annotations.models import Verdict
from annotations.services.verdicts import verdict_propose
from annotations.services.workflow import (
    claim_approve_correction,
    claim_propose_correction,
    claim_publish_correction,
    claim_retract,
)
from tests.factories import ArticleFactory, ClaimFactory, correct_claim, publish_claim, rating

pytestmark = pytest.mark.django_db
jsonld = importlib.import_module("pyld.jsonld")  # pyld has no type information

UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture
def published(claim: Any, reviewer: Any, editor: Any) -> Any:
    claim.claimant = "Ines Okafor"
    claim.claim_date = datetime.date(2025, 4, 2)
    claim.restated = "The flood wall cost €48 million."
    claim.restated_at = timezone.now()
    claim.save()
    return publish_claim(claim, reviewer=reviewer, editor=editor, rationale="The tender says €38m.\n\nSee page 4.")


def review_of(api: Any, claim: Any) -> dict[str, Any]:
    response = api.get(f"/api/v1/claims/{claim.pk}/claimreview")
    assert response.status_code == 200, response.content
    assert response.headers["Content-Type"].startswith("application/ld+json")
    return response.json()


def page_url(claim: Any) -> str:
    return f"http://testserver/fact-checks/{claim.team.slug}/{claim.pk}/"


# --- Required -----------------------------------------------------------------------------------


def test_context_and_type(api: Any, published: Any) -> None:
    review = review_of(api, published)
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"


def test_url_is_the_public_fact_check_page_which_answers_without_a_login(api: Any, client: Any, published: Any) -> None:
    review = review_of(api, published)
    assert review["url"] == page_url(published)
    assert review["@id"] == f"{page_url(published)}#claimreview"
    page = client.get(review["url"].removeprefix("http://testserver"))  # not signed in
    assert page.status_code == 200 and "application/ld+json" in page.content.decode()


def test_claim_reviewed_is_the_restated_claim_or_else_the_quote(
    api: Any, published: Any, article: Any, reviewer: Any, editor: Any
) -> None:
    assert review_of(api, published)["claimReviewed"] == "The flood wall cost €48 million."
    quoted = publish_claim(ClaimFactory(article=article, exact="council"), reviewer=reviewer, editor=editor)
    assert review_of(api, quoted)["claimReviewed"] == "council"


def test_review_rating_with_a_number_on_the_scale(api: Any, published: Any) -> None:
    assert review_of(api, published)["reviewRating"] == {
        "@type": "Rating",
        "name": "False",
        "alternateName": "False",
        "ratingValue": 2,
        "bestRating": 6,
        "worstRating": 1,
        "ratingExplanation": "It was €38m.",
    }


def test_review_rating_without_a_number_has_only_its_label(api: Any, article: Any, reviewer: Any, editor: Any) -> None:
    claim = publish_claim(
        ClaimFactory(article=article, exact="river"), reviewer=reviewer, editor=editor, label="Unproven"
    )
    rating_ = review_of(api, claim)["reviewRating"]
    assert rating_["alternateName"] == "Unproven" and rating_["name"] == "Unproven"
    assert not {"ratingValue", "bestRating", "worstRating"} & set(rating_)


# --- Recommended --------------------------------------------------------------------------------


def test_author_is_the_team_until_its_public_profile_is_set(api: Any, published: Any, team: Any) -> None:
    assert review_of(api, published)["author"] == {
        "@type": "Organization",
        "name": team.name,
        "url": f"http://testserver/fact-checks/{team.slug}/",
    }
    team.public_name, team.public_url, team.logo_url = (
        "Flood Facts",
        "https://facts.example.org/",
        "https://facts.example.org/logo.png",
    )
    team.save()
    assert review_of(api, published)["author"] == {
        "@type": "Organization",
        "name": "Flood Facts",
        "url": "https://facts.example.org/",
        "logo": {"@type": "ImageObject", "url": "https://facts.example.org/logo.png"},
    }


def test_date_published_is_the_first_publication_in_utc(api: Any, published: Any) -> None:
    review = review_of(api, published)
    first = Verdict.objects.get(claim=published, published_at__isnull=False).published_at
    assert UTC_Z.match(review["datePublished"]) and UTC_Z.match(review["dateModified"])
    assert review["datePublished"] == first.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert review["dateModified"] == review["datePublished"]


def test_item_reviewed_with_a_claimant(api: Any, published: Any) -> None:
    item = review_of(api, published)["itemReviewed"]
    work = {"@type": "CreativeWork", "url": "https://news.example.org/flood-wall", "headline": published.article.title}
    assert item == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Ines Okafor"},
        "datePublished": "2025-04-02",
        "appearance": work,
        "firstAppearance": work,
    }


def test_a_claimant_recorded_as_an_organization_is_one(
    api: Any, team: Any, article: Any, reviewer: Any, editor: Any
) -> None:
    marked = ClaimFactory(
        article=article, exact="council", claimant="Ministry of Finance", claimant_kind="organization"
    )
    claim = publish_claim(marked, reviewer=reviewer, editor=editor)
    assert review_of(api, claim)["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ministry of Finance"}


def test_item_reviewed_without_a_claimant_is_by_the_articles_publisher(
    api: Any, team: Any, reviewer: Any, editor: Any
) -> None:
    article = ArticleFactory(
        team=team, publisher="Harbour Gazette", published_on=datetime.date(2025, 3, 30), authors=["Ana Lima"]
    )
    claim = publish_claim(ClaimFactory(article=article, exact="council"), reviewer=reviewer, editor=editor)
    item = review_of(api, claim)["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Harbour Gazette"}
    assert item["datePublished"] == "2025-03-30"  # no claim date: the article's
    appearance = item["appearance"]
    assert appearance == item["firstAppearance"]
    assert appearance["url"] == page_url(claim)  # no canonical URL: the fact-check page
    assert appearance["publisher"] == {"@type": "Organization", "name": "Harbour Gazette"}
    assert appearance["author"] == [{"@type": "Person", "name": "Ana Lima"}]
    assert appearance["datePublished"] == "2025-03-30"


def test_item_reviewed_without_claimant_or_publisher_has_no_author(
    api: Any, article: Any, reviewer: Any, editor: Any
) -> None:
    claim = publish_claim(ClaimFactory(article=article, exact="council"), reviewer=reviewer, editor=editor)
    item = review_of(api, claim)["itemReviewed"]
    assert "author" not in item and "datePublished" not in item
    assert item["appearance"]["url"] == "https://news.example.org/flood-wall"


def test_review_body_is_the_summary_then_the_rationale(api: Any, published: Any) -> None:
    assert review_of(api, published)["reviewBody"] == "It was €38m.\n\nThe tender says €38m.\n\nSee page 4."


# --- The record changes -------------------------------------------------------------------------


def test_after_a_correction_the_review_is_the_correction_and_date_modified_moves(
    api: Any, published: Any, reviewer: Any, editor: Any
) -> None:
    before = review_of(api, published)
    corrected = correct_claim(
        published, reviewer=reviewer, editor=editor, label="Half true", summary="It was €44m.", note="Revised tender."
    )
    after = review_of(api, corrected)
    assert after["url"] == before["url"] and after["datePublished"] == before["datePublished"]
    assert after["reviewRating"]["alternateName"] == "Half true" and after["reviewRating"]["ratingValue"] == 4
    correction = Verdict.objects.get(claim=published, is_current=True)
    assert after["dateModified"] == correction.published_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert after["dateModified"] >= after["datePublished"]


def test_unpublished_verdict_is_404(api: Any, claim: Any, reviewer: Any) -> None:
    verdict_propose(claim=claim, user=reviewer, rating=rating(claim.team, "True"), summary="ok")
    assert api.get(f"/api/v1/claims/{claim.pk}/claimreview").status_code == 404


def test_without_credentials_is_401(published: Any) -> None:
    assert APIClient().get(f"/api/v1/claims/{published.pk}/claimreview").status_code == 401


def test_the_published_verdict_stays_in_the_feed_until_its_correction_is_published_and_retraction_removes_it(
    api: Any, claim: Any, reviewer: Any, editor: Any, team: Any
) -> None:
    claim = publish_claim(claim, reviewer=reviewer, editor=editor)
    detail = f"/api/v1/claims/{claim.pk}/claimreview"
    feed = f"/api/v1/teams/{team.pk}/claimreview"

    def reviews() -> list[str]:
        return [review["reviewRating"]["ratingExplanation"] for review in api.get(feed).json()["dataFeedElement"]]

    assert api.get(detail).json()["reviewBody"] == "It was €38m." and reviews() == ["It was €38m."]
    claim = claim_propose_correction(
        claim=claim, user=reviewer, rating=rating(team, "Half true"), summary="It was €44m.", note="Revised tender."
    )
    assert api.get(detail).json()["reviewBody"] == "It was €38m." and reviews() == ["It was €38m."]
    claim = claim_approve_correction(claim=claim, user=editor)
    assert reviews() == ["It was €38m."]
    claim = claim_publish_correction(claim=claim, user=editor)
    assert api.get(detail).json()["reviewBody"] == "It was €44m." and reviews() == ["It was €44m."]

    claim = claim_propose_correction(
        claim=claim, user=reviewer, rating=rating(team, "True"), summary="It was €48m.", note="Final accounts."
    )
    claim_retract(claim=claim, user=editor, note="The tender documents were forged.")
    assert api.get(detail).status_code == 404
    assert reviews() == []


# --- The team feed ------------------------------------------------------------------------------

# The part of schema.org's JSON-LD context (https://schema.org/docs/jsonldcontext.jsonld) these
# documents use, served to pyld locally: the tests never touch the network.
SCHEMA_ORG_CONTEXT = {
    "@context": {
        "@vocab": "https://schema.org/",
        "schema": "https://schema.org/",
        "url": {"@id": "schema:url", "@type": "@id"},
        "datePublished": {"@id": "schema:datePublished", "@type": "schema:Date"},
        "dateModified": {"@id": "schema:dateModified", "@type": "schema:Date"},
    }
}


def local_loader(url: str, options: Any = None) -> dict[str, Any]:
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": SCHEMA_ORG_CONTEXT,
        }
    raise AssertionError(f"unexpected fetch of {url}")


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    return jsonld.expand(document, {"documentLoader": local_loader})


S = "https://schema.org/"
HYDRA = "http://www.w3.org/ns/hydra/core#"


def test_the_feed_is_a_datafeed_with_its_context_at_the_top_and_expands(
    api: Any, article: Any, reviewer: Any, editor: Any, team: Any
) -> None:
    for exact in ("council", "river", "Mayor"):
        publish_claim(ClaimFactory(article=article, exact=exact), reviewer=reviewer, editor=editor)
    response = api.get(f"/api/v1/teams/{team.pk}/claimreview?page_size=2")
    assert response.headers["Content-Type"].startswith("application/ld+json")
    feed = response.json()
    assert feed["@type"] == "DataFeed" and feed["@context"][0] == "https://schema.org"
    assert len(feed["dataFeedElement"]) == 2 and feed["next"] and feed["previous"] is None
    assert all(item["@type"] == "ClaimReview" and "@context" not in item for item in feed["dataFeedElement"])

    [node] = expand(feed)
    assert node["@type"] == [f"{S}DataFeed"]
    assert node[f"{HYDRA}next"] == [{"@id": feed["next"]}]  # the cursor link survives expansion
    elements = node[f"{S}dataFeedElement"]
    assert len(elements) == 2 and all(e["@type"] == [f"{S}ClaimReview"] for e in elements)
    first = elements[0]
    assert first[f"{S}url"][0]["@id"].startswith("http://testserver/fact-checks/")
    assert first[f"{S}reviewRating"][0][f"{S}alternateName"] == [{"@value": "False"}]
    assert first[f"{S}itemReviewed"][0]["@type"] == [f"{S}Claim"]


def test_the_detail_expands_too(api: Any, published: Any) -> None:
    [node] = expand(review_of(api, published))
    assert node["@type"] == [f"{S}ClaimReview"] and node[f"{S}claimReviewed"]


def test_team_feed_pages_with_fixed_queries(
    api: Any, key_api: Any, article: Any, reviewer: Any, editor: Any, team: Any, django_assert_max_num_queries: Any
) -> None:
    publish_claim(ClaimFactory(article=article, exact="council"), reviewer=reviewer, editor=editor)
    ClaimFactory(article=article, exact="river")  # not published: not in the feed
    url = f"/api/v1/teams/{team.pk}/claimreview"
    with django_assert_max_num_queries(8) as few:
        assert len(api.get(url).json()["dataFeedElement"]) == 1
    for i in range(6):
        publish_claim(
            ClaimFactory(article=article, exact="Mayor", hint=i), reviewer=reviewer, editor=editor, label="True"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = key_api.get(f"{url}?page_size=5").json()
    assert len(body["dataFeedElement"]) == 5 and body["next"]
    rest = key_api.get(body["next"]).json()
    assert len(rest["dataFeedElement"]) == 2 and rest["previous"] and rest["next"] is None
    back = key_api.get(rest["previous"]).json()["dataFeedElement"]
    assert [r["url"] for r in back] == [r["url"] for r in body["dataFeedElement"]]
    assert len(api.get(f"{url}?rating={rating(team, 'False').pk}").json()["dataFeedElement"]) == 1


def test_isolation(outsider_api: Any, published: Any, team: Any) -> None:
    assert outsider_api.get(f"/api/v1/claims/{published.pk}/claimreview").status_code == 404
    assert outsider_api.get(f"/api/v1/teams/{team.pk}/claimreview").status_code == 404


def test_team_feed_filters_by_the_claim(api: Any, article: Any, reviewer: Any, editor: Any, team: Any) -> None:
    okafor = ClaimFactory(article=article, exact="council")
    okafor.claimant = "Ines Okafor"
    okafor.save()
    publish_claim(okafor, reviewer=reviewer, editor=editor)
    publish_claim(ClaimFactory(article=article, exact="river"), reviewer=reviewer, editor=editor, label="True")
    url = f"/api/v1/teams/{team.pk}/claimreview"

    def claims(query: str) -> list[str]:
        return [review["claimReviewed"] for review in api.get(f"{url}?{query}").json()["dataFeedElement"]]

    assert claims("claimant=okafor") == ["council"]
    assert sorted(claims("status=published")) == ["council", "river"]
    assert claims("assignee=none&q=river") == []  # both were assigned on their way to publication
    assert claims("q=river") == ["river"]
    assert claims("article_url=https://elsewhere.example.org/story") == []
    assert api.get(f"{url}?status=bogus").status_code == 400


# --- The documented shape is the written one ----------------------------------------------------


def _keys(serializer: Any) -> set[str]:
    return set(serializer.fields)


def test_the_schema_documents_every_key_written(api: Any, published: Any, team: Any) -> None:
    team.logo_url = "https://facts.example.org/logo.png"
    team.save()
    published.article.publisher = "Harbour Gazette"
    published.article.authors = ["Ana Lima"]
    published.article.published_on = timezone.now().date()
    published.article.save()
    review = review_of(api, published)
    documented = ClaimReviewOut()
    assert set(review) == _keys(documented)
    for key in ("reviewRating", "author", "itemReviewed"):
        assert set(review[key]) == _keys(documented.fields[key]), key
    item = documented.fields["itemReviewed"]
    assert set(review["itemReviewed"]["appearance"]) == _keys(item.fields["appearance"])
    assert set(review["author"]) <= _keys(documented.fields["author"])

    feed = api.get(f"/api/v1/teams/{team.pk}/claimreview").json()
    feed_documented = ClaimReviewFeedOut()
    assert set(feed) == _keys(feed_documented)
    assert set(feed["dataFeedElement"][0]) == _keys(feed_documented.fields["dataFeedElement"].child)
