"""annotations.claimreview_import: other fact-checkers' ClaimReview, as files, feeds and pages publish it."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.claimreview_import import (
    MAX_CLAIM_CHARS,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_ITEMS,
    PublishedReview,
    UnreadableDocument,
    read_html,
    read_json_ld,
    read_published,
)
from tests.annotations.published_reviews import claim_review, data_commons_feed


def test_one_claimreview_keeps_what_matching_and_the_panel_need() -> None:
    reading = read_json_ld(claim_review())
    assert reading.skipped == []
    [(index, review)] = reading.reviews
    assert index == 0
    assert review == PublishedReview(
        url="https://verificado.example.mx/plomo-1",
        claim_reviewed="El agua de la capital tiene plomo por encima del límite legal (1).",
        publisher="Verificado",
        publisher_url="https://verificado.example.mx/",
        claimant="Un senador",
        claim_date=datetime.date(2024, 3, 1),
        rating_text="Falso",
        rating_value=1.0,
        best_rating=5.0,
        worst_rating=1.0,
        published_at=datetime.date(2024, 3, 5),
        language="es",
    )
    assert review.data["claimReviewed"].startswith("El agua")


def test_a_data_commons_feed_yields_every_review_in_order() -> None:
    reading = read_json_ld(data_commons_feed(claim_review(1), claim_review(2), claim_review(3)))
    assert [index for index, _ in reading.reviews] == [0, 1, 2]
    assert [r.url.rsplit("-", 1)[1] for _, r in reading.reviews] == ["1", "2", "3"]


def test_a_feed_whose_elements_are_claimreviews_and_a_plain_list_both_read() -> None:
    feed = {"@type": "DataFeed", "dataFeedElement": [claim_review(1), claim_review(2)]}
    assert len(read_json_ld(feed).reviews) == 2
    assert len(read_json_ld([claim_review(1), claim_review(2)]).reviews) == 2


def test_items_that_are_not_usable_are_skipped_with_their_number_and_reason() -> None:
    feed = data_commons_feed(
        claim_review(1),
        claim_review(2, claimReviewed="  "),
        claim_review(3, url=None),
        {"@type": "NewsArticle", "headline": "Not a review"},
        claim_review(5, url="ftp://files.example.org/x"),
        claim_review(1, claimReviewed="Again, same page"),
        claim_review(7, claimReviewed="x" * (MAX_CLAIM_CHARS + 1)),
    )
    feed["dataFeedElement"].append("https://verificado.example.mx/a-link-only")
    feed["dataFeedElement"].append({"@type": "DataFeedItem"})
    reading = read_json_ld(feed)
    assert [index for index, _ in reading.reviews] == [0]
    reasons = {s.index: s.reason for s in reading.skipped}
    assert sorted(reasons) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert "claimReviewed" in reasons[1]
    assert "No url" in reasons[2]
    assert reasons[3] == "Not a ClaimReview (its @type is NewsArticle)."
    assert "ftp" in reasons[4]
    assert reasons[5].startswith("The same review URL as item 0")
    assert "longer than" in reasons[6]
    assert reasons[7] == "Not a ClaimReview: a link."
    assert reasons[8] == "A DataFeedItem that holds no item."


def test_an_at_graph_resolves_references_and_passes_over_the_page_s_other_nodes() -> None:
    """The shape site plugins write: the page, the organisation and the review, linked by @id."""
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": "https://checks.example.org/tap-water/#webpage", "name": "Tap water"},
            {
                "@type": "Organization",
                "@id": "https://checks.example.org/#organization",
                "name": "Checks Org",
                "url": "https://checks.example.org/",
            },
            {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "position": 1, "name": "Home"}]},
            {
                "@type": ["ClaimReview"],
                "@id": "https://checks.example.org/tap-water/#claimreview",
                "author": {"@id": "https://checks.example.org/#organization"},
                "claimReviewed": "Tap water in the capital contains\n  lead above the legal limit.",
                "reviewRating": {"@type": "Rating", "name": "Mostly false"},
                "inLanguage": {"@type": "Language", "name": "English", "alternateName": "en-GB"},
                "itemReviewed": {
                    "@type": "Claim",
                    "author": "The mayor",
                    "firstAppearance": {"datePublished": "2023-12-24T18:00:00+01:00"},
                },
            },
        ],
    }
    reading = read_json_ld(graph)
    [(_, review)] = reading.reviews
    # No url: the @id (without its fragment) is the review's page.
    assert review.url == "https://checks.example.org/tap-water"
    assert review.publisher == "Checks Org" and review.publisher_url == "https://checks.example.org/"
    assert review.claim_reviewed == "Tap water in the capital contains lead above the legal limit."
    assert review.rating_text == "Mostly false" and review.rating_value is None
    assert review.language == "en-GB" and review.claimant == "The mayor"
    assert review.claim_date == datetime.date(2023, 12, 24)
    assert reading.skipped == []


def test_missing_and_odd_values_fall_back_without_guessing() -> None:
    review = claim_review(
        author=None,
        datePublished="March 5th",
        inLanguage=None,
        reviewRating={"ratingValue": "two", "alternateName": ["Pants on fire", "Falso"]},
        itemReviewed={"@type": "Claim", "datePublished": "2024-02-30"},
        url="https://verificado.example.mx/plomo/?utm_source=feed&b=2&a=1#top",
    )
    [(_, read)] = read_json_ld(review).reviews
    assert read.publisher == "verificado.example.mx"  # no author nor publisher: the review's host
    assert read.publisher_url == ""
    assert read.published_at is None and read.claim_date is None and read.language == ""
    assert read.rating_text == "Pants on fire" and read.rating_value is None
    assert read.url == "https://verificado.example.mx/plomo?a=1&b=2"


def test_a_page_s_ld_json_blocks_are_read_and_relative_urls_resolved() -> None:
    review = claim_review(url="/checks/plomo/")
    page = f"""<!doctype html><html lang="es"><head>
    <script type="application/ld+json">{json.dumps({"@type": "WebSite", "name": "Verificado"})}</script>
    <script type="application/ld+json; charset=utf-8">
    <!-- {json.dumps(review)} -->
    </script>
    <script type="application/ld+json">{{ "broken": </script>
    <script>var notJsonLd = 1;</script>
    </head><body><p>Falso.</p></body></html>"""
    reading = read_html(page, base_url="https://verificado.example.mx/checks/plomo/")
    [(_, read)] = reading.reviews
    assert read.url == "https://verificado.example.mx/checks/plomo"
    [skipped] = reading.skipped
    assert "JSON-LD block 3 of the page is not JSON" in skipped.reason


def test_read_published_tells_html_from_json_and_reads_json_lines() -> None:
    lines = "\n".join(json.dumps(claim_review(n)) for n in range(1, 4)).encode()
    assert len(read_published(lines).reviews) == 3
    page = f'<html><script type="application/ld+json">{json.dumps(claim_review())}</script></html>'.encode()
    assert len(read_published(page, content_type="text/html").reviews) == 1
    assert len(read_published(page).reviews) == 1  # sniffed
    body = "\ufeff".encode() + json.dumps(claim_review(claimReviewed="Ünïcode")).encode("utf-8")
    [(_, read)] = read_published(body, content_type="application/json").reviews
    assert read.claim_reviewed == "Ünïcode"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"{not json", "not JSON"),
        (b"x" * (MAX_DOCUMENT_BYTES + 1), "larger than 10 MB"),
        (json.dumps([{"@type": "Thing"}] * (MAX_ITEMS + 1)).encode(), "at most 5,000"),
        (b"[" * (MAX_DEPTH + 2) + b"]" * (MAX_DEPTH + 2), "levels deep"),
    ],
)
def test_a_document_that_cannot_be_read_is_refused_with_a_reason(body: bytes, message: str) -> None:
    with pytest.raises(UnreadableDocument) as raised:
        read_published(body, content_type="application/ld+json")
    assert message in raised.value.message


def test_nul_characters_are_dropped_so_the_database_can_store_the_review() -> None:
    [(_, read)] = read_json_ld(claim_review(claimReviewed="Lead\x00 in water", extra={"k\x00": "v\x00"})).reviews
    assert read.claim_reviewed == "Lead in water"
    assert read.data["extra"] == {"k": "v"}


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(["@type", "@id", "@graph", "url", "claimReviewed", "author", "itemReviewed", "item",
                         "dataFeedElement", "reviewRating", "name", "datePublished", "inLanguage", "x"]),
        inner,
        max_size=5,
    ),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(json_values | st.sampled_from(["ClaimReview", "DataFeed", "DataFeedItem"]).map(lambda t: {"@type": t}))
def test_any_json_reads_without_an_error_other_than_unreadable(document: Any) -> None:
    try:
        reading = read_json_ld(document)
    except UnreadableDocument:
        return
    indexes = [index for index, _ in reading.reviews] + [s.index for s in reading.skipped]
    assert len(indexes) == len(set(indexes))
    for _, review in reading.reviews:
        assert review.claim_reviewed.strip() and review.url.startswith(("http://", "https://"))
