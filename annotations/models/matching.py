"""What "Already checked?" matches against: claims' meaning vectors and other fact-checkers' reviews.

A vector is computed in the worker (queue "embed"), never in a request. Each row keeps the wording
it was computed from and the model that computed it, so a changed wording or a new model marks the
row `pending` again and the worker computes it afresh; until then the previous vector still serves.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from pgvector.django import HnswIndex, VectorField

from annotations.models.claims import Claim
from annotations.models.teams import Team

WORDS_CONFIG = "simple"
"""Full-text configuration of the word searches: no stemming, no stop words, any language."""
DIMENSIONS = 512
"""The sentence model's vector size (annotations.matching.embeddings.DIMENSIONS)."""


class Embedded(models.Model):
    """The fields every matched row shares: the wording, its vector and the model that made it."""

    wording = models.TextField(help_text="The text the vector was (or is to be) computed from.")
    vector = VectorField(dimensions=DIMENSIONS, null=True, blank=True)
    model = models.CharField(max_length=200, blank=True, help_text="The model and package version of `vector`.")
    pending = models.BooleanField(default=True, help_text="The vector is missing or stale: the worker computes it.")
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When the embed task was last sent.")
    embedded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class ClaimEmbedding(Embedded):
    """The meaning of one claim's wording (its restated claim and quote), for matching in any language.

    Every claim has one: a database trigger adds it, pending, whenever a claim row is inserted, by
    whatever path (migration 0010), and the services keep its wording in step with the claim's.
    """

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            HnswIndex(
                name="claim_embedding_hnsw",
                fields=["vector"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(fields=["queued_at"], name="claim_embedding_pending", condition=Q(pending=True)),
            models.Index(fields=["model"], name="claim_embedding_model"),
        ]

    def __str__(self) -> str:
        return f"{self.model or 'not embedded'}: {self.wording[:60]}"


class ReviewFeed(models.Model):
    """Where another fact-checker publishes ClaimReview (a DataFeed, or a page's JSON-LD), read on a schedule."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="review_feeds")
    url = models.URLField(max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(null=True, blank=True, help_text="When the feed was last read.")
    next_refresh_at = models.DateTimeField(null=True, blank=True, help_text="When the schedule reads it next.")
    queued_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, help_text="Why the last read failed; empty when it succeeded.")
    review_count = models.PositiveIntegerField(default=0, help_text="Reviews the last read found.")

    class Meta:
        ordering = ["team", "url"]
        constraints = [
            models.UniqueConstraint(fields=["team", "url"], name="review_feed_unique_url"),
            models.CheckConstraint(condition=Q(url__regex=r"^https?://[^\s]+$"), name="review_feed_url_http"),
        ]

    def __str__(self) -> str:
        return self.url


class ExternalReview(Embedded):
    """Another fact-checker's published ClaimReview: read-only, matched like the team's own claims.

    One row per review URL in a team; importing the same URL again updates it.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="external_reviews")
    feed = models.ForeignKey(ReviewFeed, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews")
    url = models.URLField(max_length=2000, help_text="The review's own page.")
    publisher = models.CharField(max_length=300, help_text="Who checked it: the review's author organisation.")
    publisher_url = models.URLField(max_length=2000, blank=True)
    claim_reviewed = models.TextField()
    claimant = models.CharField(max_length=300, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    rating_text = models.CharField(max_length=300, blank=True, help_text="The rating as published (alternateName).")
    rating_value = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    published_at = models.DateField(null=True, blank=True, help_text="The review's datePublished.")
    language = models.CharField(max_length=35, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    data = models.JSONField(default=dict, help_text="The ClaimReview as imported.")

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            HnswIndex(
                name="external_review_hnsw",
                fields=["vector"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(fields=["queued_at"], name="external_review_pending", condition=Q(pending=True)),
            models.Index(fields=["model"], name="external_review_model"),
            GinIndex(SearchVector("claim_reviewed", config=WORDS_CONFIG), name="external_review_words"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["team", "url"], name="external_review_unique_url"),
            models.CheckConstraint(condition=Q(url__regex=r"^https?://[^\s]+$"), name="external_review_url_http"),
            models.CheckConstraint(condition=~Q(claim_reviewed=""), name="external_review_claim_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.claim_reviewed[:60]}"
