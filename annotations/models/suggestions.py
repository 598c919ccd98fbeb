"""Check-worthy claim suggestions: spans the model found in an article, and the desk's decisions.

A suggestion is located like a claim (W3C TextQuoteSelector and TextPositionSelector, code points of
the article's reader text) and re-anchored with it when the text is revised. An open suggestion
that no longer matches exactly is dropped; a decided one keeps its place or becomes an orphan, since
it stays what the team's model learns from.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast

from annotations.models.articles import Article
from annotations.models.claims import AnchorOutcome, Claim
from annotations.models.teams import Team


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class Suggestion(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    exact = models.TextField()
    prefix = models.TextField(blank=True)
    suffix = models.TextField(blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    anchored_revision = models.PositiveIntegerField(help_text="The article revision the offsets count in.")
    anchor_outcome = models.CharField(max_length=8, choices=AnchorOutcome.choices, default=AnchorOutcome.EXACT)
    score = models.FloatField(help_text="How likely the desk is to mark the span, 0–1.")
    rank = models.GeneratedField(
        expression=Cast(F("score") * 1_000_000, models.BigIntegerField()),
        output_field=models.BigIntegerField(),
        db_persist=True,
        help_text="The score in millionths: the list's sort key.",
    )
    reasons = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    features = models.JSONField(default=dict, help_text="The feature values the score was computed from.")
    model_version = models.CharField(max_length=64, help_text="The weights that scored it.")
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The accepted claim."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["article", "status", "-rank", "id"], name="suggestion_article_rank"),
            models.Index(fields=["team", "status"], name="suggestion_team_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True) & Q(anchor_outcome=AnchorOutcome.ORPHAN))
                | (Q(start__gte=0) & Q(start__lt=F("end")) & ~Q(anchor_outcome=AnchorOutcome.ORPHAN)),
                name="suggestion_span_valid",
            ),
            models.CheckConstraint(condition=~Q(exact=""), name="suggestion_exact_not_empty"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="suggestion_score_range"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in SuggestionStatus]), name="suggestion_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.OPEN, decided_at__isnull=True)
                | (~Q(status=SuggestionStatus.OPEN) & Q(decided_at__isnull=False)),
                name="suggestion_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.OPEN)
                | Q(anchor_outcome__in=[AnchorOutcome.EXACT, AnchorOutcome.MOVED]),
                name="suggestion_open_is_anchored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score:.2f} {self.exact[:60]}"


class SuggestionScan(models.Model):
    """Whether an article's suggestions are current: pending until the worker has scored its revision."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="suggestion_scan")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    scanned_revision = models.PositiveIntegerField(null=True, blank=True)
    pending = models.BooleanField(default=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When the suggest task was last sent.")
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["queued_at"], name="suggestion_scan_pending", condition=Q(pending=True))]

    def __str__(self) -> str:
        return (
            f"article {self.article_id}: revision {self.scanned_revision or '—'}{' (pending)' if self.pending else ''}"
        )


class SuggestionModel(models.Model):
    """A team's own weights, refitted from its decisions; a team without one uses the shipped weights."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, primary_key=True, related_name="suggestion_model")
    version = models.CharField(max_length=64, help_text="Shown with every suggestion these weights scored.")
    intercept = models.FloatField(default=0.0)
    weights = models.JSONField(default=dict, help_text="Feature name → weight.")
    fits = models.PositiveIntegerField(default=0, help_text="How many times the team's weights were refitted.")
    decisions_at_fit = models.PositiveIntegerField(default=0, help_text="Decisions counted at the last fit.")
    refit_pending = models.BooleanField(default=False)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When the refit task was last sent.")
    fitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["queued_at"], name="suggestion_model_pending", condition=Q(refit_pending=True))]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.version}"
