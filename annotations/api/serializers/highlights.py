"""The shape of an article's highlights for the schema; PostgreSQL builds the JSON itself
(annotations.selectors.highlights, whose HIGHLIGHT_KEYS a test holds equal to these fields)."""

from __future__ import annotations

from rest_framework import serializers

from annotations.models import AnchorOutcome, ClaimStatus


class HighlightRatingOut(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    color = serializers.CharField()


OFFSET = "Code points into the revision's text; null for an orphan."


class HighlightOut(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.IntegerField(allow_null=True, help_text=OFFSET)
    end = serializers.IntegerField(allow_null=True, help_text=OFFSET)
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    version = serializers.IntegerField(help_text="The claim's version: it moves on with every write to the claim.")
    anchor_outcome = serializers.ChoiceField(choices=AnchorOutcome.choices)
    anchor_score = serializers.FloatField()
    rating = HighlightRatingOut(allow_null=True, help_text="The current verdict's rating; null without a verdict.")
    exact = serializers.CharField(
        allow_null=True,
        help_text="The quote, for fuzzy and orphaned claims only (the text at the span differs, or there is none); "
        "null for the others, whose quote is the text at their span.",
    )


class ArticleHighlightsOut(serializers.Serializer):
    article = serializers.IntegerField()
    revision = serializers.IntegerField(help_text="The article revision the claims' offsets count in.")
    claims = HighlightOut(many=True, help_text="In document order, orphans last.")
