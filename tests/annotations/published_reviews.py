"""Other fact-checkers' ClaimReview, shaped as Google's Fact Check Markup Tool and the Data Commons feed publish it."""

from __future__ import annotations

from typing import Any


def claim_review(n: int = 1, **changes: Any) -> dict[str, Any]:
    """A ClaimReview as Google's Fact Check Markup Tool writes it into the Data Commons feed."""
    review: dict[str, Any] = {
        "@context": "http://schema.org",
        "@type": "ClaimReview",
        "author": {"@type": "Organization", "name": "Verificado", "url": "https://verificado.example.mx/"},
        "claimReviewed": f"El agua de la capital tiene plomo por encima del límite legal ({n}).",
        "datePublished": "2024-03-05",
        "inLanguage": "es",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Un senador"},
            "datePublished": "2024-03-01",
            "appearance": [{"@type": "CreativeWork", "url": "https://social.example.com/p/1"}],
        },
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Falso",
            "bestRating": "5",
            "ratingValue": "1",
            "worstRating": "1",
        },
        "sdPublisher": {
            "@type": "Organization",
            "name": "Google Fact Check Tools",
            "url": "https://g.co/factchecktools",
        },
        "url": f"https://verificado.example.mx/plomo-{n}/",
    }
    review.update(changes)
    return review


def data_commons_feed(*reviews: dict[str, Any]) -> dict[str, Any]:
    """The Data Commons fact-check feed: DataFeedItems each holding a list of ClaimReviews."""
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": "Fact Check Markup Tool Data Feed",
        "dateModified": "2024-03-06T09:00:00Z",
        "dataFeedElement": [
            {"@context": "http://schema.org", "@type": "DataFeedItem", "dateCreated": "2024-03-05", "item": [review]}
            for review in reviews
        ],
    }
