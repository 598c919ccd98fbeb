"""Check-worthy claim suggestions: the suggestions, each article's scan, each team's refitted weights and the
team setting that turns them off."""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0010_claim_vectors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="team",
            name="suggestions_enabled",
            field=models.BooleanField(
                db_default=True, default=True, help_text="Suggest check-worthy claims in the team's articles."
            ),
        ),
        migrations.CreateModel(
            name="SuggestionModel",
            fields=[
                (
                    "team",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="suggestion_model",
                        serialize=False,
                        to="annotations.team",
                    ),
                ),
                (
                    "version",
                    models.CharField(help_text="Shown with every suggestion these weights scored.", max_length=64),
                ),
                ("intercept", models.FloatField(default=0.0)),
                ("weights", models.JSONField(default=dict, help_text="Feature name → weight.")),
                (
                    "fits",
                    models.PositiveIntegerField(
                        default=0, help_text="How many times the team's weights were refitted."
                    ),
                ),
                (
                    "decisions_at_fit",
                    models.PositiveIntegerField(default=0, help_text="Decisions counted at the last fit."),
                ),
                ("refit_pending", models.BooleanField(default=False)),
                (
                    "queued_at",
                    models.DateTimeField(blank=True, help_text="When the refit task was last sent.", null=True),
                ),
                ("fitted_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("refit_pending", True)),
                        fields=["queued_at"],
                        name="suggestion_model_pending",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Suggestion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("exact", models.TextField()),
                ("prefix", models.TextField(blank=True)),
                ("suffix", models.TextField(blank=True)),
                ("start", models.PositiveIntegerField(blank=True, null=True)),
                ("end", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "anchored_revision",
                    models.PositiveIntegerField(help_text="The article revision the offsets count in."),
                ),
                (
                    "anchor_outcome",
                    models.CharField(
                        choices=[("exact", "Exact"), ("moved", "Moved"), ("fuzzy", "Fuzzy"), ("orphan", "Orphan")],
                        default="exact",
                        max_length=8,
                    ),
                ),
                ("score", models.FloatField(help_text="How likely the desk is to mark the span, 0–1.")),
                (
                    "rank",
                    models.GeneratedField(
                        db_persist=True,
                        expression=django.db.models.functions.comparison.Cast(
                            django.db.models.expressions.CombinedExpression(
                                models.F("score"), "*", models.Value(1000000)
                            ),
                            models.BigIntegerField(),
                        ),
                        help_text="The score in millionths: the list's sort key.",
                        output_field=models.BigIntegerField(),
                    ),
                ),
                (
                    "reasons",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=32), blank=True, default=list, size=None
                    ),
                ),
                (
                    "features",
                    models.JSONField(default=dict, help_text="The feature values the score was computed from."),
                ),
                ("model_version", models.CharField(help_text="The weights that scored it.", max_length=64)),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("accepted", "Accepted"), ("dismissed", "Dismissed")],
                        default="open",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="suggestions",
                        to="annotations.article",
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        help_text="The accepted claim.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="annotations.claim",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="annotations.team"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["article", "status", "-rank", "id"], name="suggestion_article_rank"),
                    models.Index(fields=["team", "status"], name="suggestion_team_status"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("start__isnull", True), ("end__isnull", True), ("anchor_outcome", "orphan")),
                            models.Q(
                                ("start__gte", 0),
                                ("start__lt", models.F("end")),
                                models.Q(("anchor_outcome", "orphan"), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="suggestion_span_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("exact", ""), _negated=True), name="suggestion_exact_not_empty"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 0), ("score__lte", 1)), name="suggestion_score_range"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["open", "accepted", "dismissed"])),
                        name="suggestion_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("decided_at__isnull", True), ("status", "open")),
                            models.Q(models.Q(("status", "open"), _negated=True), ("decided_at__isnull", False)),
                            _connector="OR",
                        ),
                        name="suggestion_decided_has_time",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "open"), _negated=True),
                            ("anchor_outcome__in", ["exact", "moved"]),
                            _connector="OR",
                        ),
                        name="suggestion_open_is_anchored",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="SuggestionScan",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="suggestion_scan",
                        serialize=False,
                        to="annotations.article",
                    ),
                ),
                ("scanned_revision", models.PositiveIntegerField(blank=True, null=True)),
                ("pending", models.BooleanField(default=True)),
                (
                    "queued_at",
                    models.DateTimeField(blank=True, help_text="When the suggest task was last sent.", null=True),
                ),
                ("scanned_at", models.DateTimeField(blank=True, null=True)),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="annotations.team"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("pending", True)), fields=["queued_at"], name="suggestion_scan_pending"
                    )
                ],
            },
        ),
    ]
