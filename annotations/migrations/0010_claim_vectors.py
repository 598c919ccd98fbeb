"""Matching in any language: claims' meaning vectors (pgvector, HNSW), other fact-checkers' reviews and the
feeds they come from, and the team's similarity threshold.

The first operation stops with what to install when the server has no pgvector: never a silent fallback.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import pgvector.django.indexes
import pgvector.django.vector
from django.conf import settings
from django.db import migrations, models

from annotations.db.extensions import CreateVectorExtension

# Every claim has its embedding row, pending, from the moment it is inserted (bulk loads and raw SQL
# included); the worker computes the vector. Existing claims get theirs here.
CLAIM_EMBEDDING_ROW = """
CREATE FUNCTION annotations_claim_embedding_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO annotations_claimembedding (claim_id, team_id, wording, model, pending)
    VALUES (NEW.id, NEW.team_id, left(btrim(NEW.exact), 2000), '', true)
    ON CONFLICT (claim_id) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER annotations_claim_embedding_row AFTER INSERT ON annotations_claim
    FOR EACH ROW EXECUTE FUNCTION annotations_claim_embedding_row();
INSERT INTO annotations_claimembedding (claim_id, team_id, wording, model, pending)
    SELECT id, team_id, left(btrim(exact), 2000), '', true FROM annotations_claim
    ON CONFLICT (claim_id) DO NOTHING;
"""
DROP_CLAIM_EMBEDDING_ROW = """
DROP TRIGGER annotations_claim_embedding_row ON annotations_claim;
DROP FUNCTION annotations_claim_embedding_row();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0009_claim_document_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateVectorExtension(),
        migrations.CreateModel(
            name="ClaimEmbedding",
            fields=[
                ("wording", models.TextField(help_text="The text the vector was (or is to be) computed from.")),
                ("vector", pgvector.django.vector.VectorField(blank=True, dimensions=512, null=True)),
                (
                    "model",
                    models.CharField(
                        blank=True, help_text="The model and package version of `vector`.", max_length=200
                    ),
                ),
                (
                    "pending",
                    models.BooleanField(
                        default=True, help_text="The vector is missing or stale: the worker computes it."
                    ),
                ),
                (
                    "queued_at",
                    models.DateTimeField(blank=True, help_text="When the embed task was last sent.", null=True),
                ),
                ("embedded_at", models.DateTimeField(blank=True, null=True)),
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="embedding",
                        serialize=False,
                        to="annotations.claim",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="ExternalReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("wording", models.TextField(help_text="The text the vector was (or is to be) computed from.")),
                ("vector", pgvector.django.vector.VectorField(blank=True, dimensions=512, null=True)),
                (
                    "model",
                    models.CharField(
                        blank=True, help_text="The model and package version of `vector`.", max_length=200
                    ),
                ),
                (
                    "pending",
                    models.BooleanField(
                        default=True, help_text="The vector is missing or stale: the worker computes it."
                    ),
                ),
                (
                    "queued_at",
                    models.DateTimeField(blank=True, help_text="When the embed task was last sent.", null=True),
                ),
                ("embedded_at", models.DateTimeField(blank=True, null=True)),
                ("url", models.URLField(help_text="The review's own page.", max_length=2000)),
                (
                    "publisher",
                    models.CharField(help_text="Who checked it: the review's author organisation.", max_length=300),
                ),
                ("publisher_url", models.URLField(blank=True, max_length=2000)),
                ("claim_reviewed", models.TextField()),
                ("claimant", models.CharField(blank=True, max_length=300)),
                ("claim_date", models.DateField(blank=True, null=True)),
                (
                    "rating_text",
                    models.CharField(blank=True, help_text="The rating as published (alternateName).", max_length=300),
                ),
                ("rating_value", models.FloatField(blank=True, null=True)),
                ("best_rating", models.FloatField(blank=True, null=True)),
                ("worst_rating", models.FloatField(blank=True, null=True)),
                ("published_at", models.DateField(blank=True, help_text="The review's datePublished.", null=True)),
                ("language", models.CharField(blank=True, max_length=35)),
                ("imported_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("data", models.JSONField(default=dict, help_text="The ClaimReview as imported.")),
            ],
            options={
                "ordering": ["-published_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ReviewFeed",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("url", models.URLField(max_length=2000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("refreshed_at", models.DateTimeField(blank=True, help_text="When the feed was last read.", null=True)),
                (
                    "next_refresh_at",
                    models.DateTimeField(blank=True, help_text="When the schedule reads it next.", null=True),
                ),
                ("queued_at", models.DateTimeField(blank=True, null=True)),
                (
                    "last_error",
                    models.TextField(blank=True, help_text="Why the last read failed; empty when it succeeded."),
                ),
                ("review_count", models.PositiveIntegerField(default=0, help_text="Reviews the last read found.")),
            ],
            options={
                "ordering": ["team", "url"],
            },
        ),
        migrations.AddField(
            model_name="team",
            name="similarity_threshold",
            field=models.FloatField(
                db_default=0.47,
                default=0.47,
                help_text="Already checked? shows earlier claims whose match score (0–1) is at least this.",
            ),
        ),
        migrations.AddConstraint(
            model_name="team",
            constraint=models.CheckConstraint(
                condition=models.Q(("similarity_threshold__gte", 0), ("similarity_threshold__lte", 1)),
                name="team_similarity_threshold_range",
            ),
        ),
        migrations.AddField(
            model_name="claimembedding",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="annotations.team"
            ),
        ),
        migrations.AddField(
            model_name="externalreview",
            name="imported_by",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="externalreview",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="external_reviews", to="annotations.team"
            ),
        ),
        migrations.AddField(
            model_name="reviewfeed",
            name="created_by",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="reviewfeed",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="review_feeds", to="annotations.team"
            ),
        ),
        migrations.AddField(
            model_name="externalreview",
            name="feed",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reviews",
                to="annotations.reviewfeed",
            ),
        ),
        migrations.AddIndex(
            model_name="claimembedding",
            index=pgvector.django.indexes.HnswIndex(
                ef_construction=64,
                fields=["vector"],
                m=16,
                name="claim_embedding_hnsw",
                opclasses=["vector_cosine_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="claimembedding",
            index=models.Index(
                condition=models.Q(("pending", True)), fields=["queued_at"], name="claim_embedding_pending"
            ),
        ),
        migrations.AddConstraint(
            model_name="reviewfeed",
            constraint=models.UniqueConstraint(fields=("team", "url"), name="review_feed_unique_url"),
        ),
        migrations.AddConstraint(
            model_name="reviewfeed",
            constraint=models.CheckConstraint(
                condition=models.Q(("url__regex", "^https?://[^\\s]+$")), name="review_feed_url_http"
            ),
        ),
        migrations.AddIndex(
            model_name="externalreview",
            index=pgvector.django.indexes.HnswIndex(
                ef_construction=64,
                fields=["vector"],
                m=16,
                name="external_review_hnsw",
                opclasses=["vector_cosine_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="externalreview",
            index=models.Index(
                condition=models.Q(("pending", True)), fields=["queued_at"], name="external_review_pending"
            ),
        ),
        migrations.AddIndex(
            model_name="externalreview",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("claim_reviewed", config="simple"),
                name="external_review_words",
            ),
        ),
        migrations.AddConstraint(
            model_name="externalreview",
            constraint=models.UniqueConstraint(fields=("team", "url"), name="external_review_unique_url"),
        ),
        migrations.AddConstraint(
            model_name="externalreview",
            constraint=models.CheckConstraint(
                condition=models.Q(("url__regex", "^https?://[^\\s]+$")), name="external_review_url_http"
            ),
        ),
        migrations.AddConstraint(
            model_name="externalreview",
            constraint=models.CheckConstraint(
                condition=models.Q(("claim_reviewed", ""), _negated=True), name="external_review_claim_not_empty"
            ),
        ),
        migrations.AddIndex(
            model_name="claimembedding",
            index=models.Index(fields=["model"], name="claim_embedding_model"),
        ),
        migrations.AddIndex(
            model_name="externalreview",
            index=models.Index(fields=["model"], name="external_review_model"),
        ),
        migrations.RunSQL(CLAIM_EMBEDDING_ROW, DROP_CLAIM_EMBEDDING_ROW),
    ]
