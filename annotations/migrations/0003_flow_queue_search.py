"""Indexes for the review queues' claim text filter (annotations.selectors.queues).

Raw SQL because they index expressions exactly as the queryset writes them, which the model's
Meta cannot state: the full-text vector over the quote and the restated claim, and a trigram
index on UPPER(exact), which Django's case-insensitive `icontains` compares.
"""

from django.db import migrations

SEARCH_VECTOR = "to_tsvector('simple'::regconfig, COALESCE(exact, '') || ' ' || COALESCE(restated, ''))"


class Migration(migrations.Migration):
    dependencies = [("annotations", "0002_api_webhooks_search")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS claim_search_fts ON annotations_claim USING gin ({SEARCH_VECTOR});",
            "DROP INDEX IF EXISTS claim_search_fts;",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS claim_exact_upper_trgm ON annotations_claim USING gin (UPPER(exact) gin_trgm_ops);",
            "DROP INDEX IF EXISTS claim_exact_upper_trgm;",
        ),
    ]
