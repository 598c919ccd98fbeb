from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from annotations.models.articles import Article
from annotations.models.teams import Team


class ClaimStatus(models.TextChoices):
    NEW = "new", "New"
    IN_RESEARCH = "in_research", "In research"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    CORRECTION_IN_REVIEW = "correction_in_review", "Correction in review"
    CORRECTION_APPROVED = "correction_approved", "Correction approved"
    RETRACTED = "retracted", "Retracted"
    NOT_CHECK_WORTHY = "not_check_worthy", "Not check-worthy"


class AnchorOutcome(models.TextChoices):
    EXACT = "exact", "Exact"
    MOVED = "moved", "Moved"
    FUZZY = "fuzzy", "Fuzzy"
    ORPHAN = "orphan", "Orphan"


class ClaimantKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"


class Priority(models.IntegerChoices):
    LOW = 0, "Low"
    NORMAL = 1, "Normal"
    HIGH = 2, "High"
    URGENT = 3, "Urgent"


ORPHAN_POSITION = 2**31
"""An orphan's place in document order: after every claim with a position (offsets are below 2**31)."""


class Claim(models.Model):
    """A checkable statement marked in an article.

    The W3C selectors locate it: TextQuoteSelector (exact, prefix, suffix) and
    TextPositionSelector (start, end), both in Unicode code points of `article.text`.
    An orphan (its quote could not be re-anchored after a revision) keeps its quote and loses
    its position.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="claims")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    exact = models.TextField()
    prefix = models.TextField(blank=True)
    suffix = models.TextField(blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    anchored_revision = models.PositiveIntegerField(default=1)
    anchor_outcome = models.CharField(max_length=8, choices=AnchorOutcome.choices, default=AnchorOutcome.EXACT)
    anchor_score = models.FloatField(default=1.0)
    restated = models.TextField(blank=True, help_text="The claim as the reviewer restates it.")
    restated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last wrote the restated wording.",
    )
    restated_at = models.DateTimeField(null=True, blank=True, help_text="When the restated wording was last written.")
    claimant = models.CharField(max_length=300, blank=True)
    claimant_kind = models.CharField(
        max_length=12,
        choices=ClaimantKind.choices,
        default=ClaimantKind.PERSON,
        help_text="Whether the claimant is a person or an organization (ClaimReview's Person or Organization).",
    )
    claim_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.NEW)
    not_check_worthy_reason = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    due_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text="An earlier, already-checked claim this one repeats.",
    )
    canonical = models.URLField(
        max_length=2000,
        blank=True,
        help_text="The annotation's canonical IRI when a client created it with one (W3C Web Annotation); "
        "blank: the workbench's own.",
    )
    via = ArrayField(
        models.URLField(max_length=2000),
        default=list,
        blank=True,
        help_text="IRIs the annotation was copied from: the id a client sent when creating it.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped on every write.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    document_order = models.GeneratedField(
        expression=Coalesce("start", Value(ORPHAN_POSITION)),
        output_field=models.BigIntegerField(),
        db_persist=True,
        help_text="Where the claim is in the text: its start, orphans last. Kept by the database on every write.",
    )

    class Meta:
        ordering = ["article", "document_order", "id"]
        indexes = [
            models.Index(fields=["article", "document_order", "id"], name="claim_document_order"),
            models.Index(fields=["team", "status", "-updated_at", "-id"], name="claim_team_status"),
            models.Index(fields=["team", "assignee", "status"], name="claim_team_assignee"),
            models.Index(fields=["team", "due_at"], name="claim_team_due"),
            GinIndex(fields=["exact"], opclasses=["gin_trgm_ops"], name="claim_exact_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True) & Q(anchor_outcome=AnchorOutcome.ORPHAN))
                | (Q(start__gte=0) & Q(start__lt=F("end")) & ~Q(anchor_outcome=AnchorOutcome.ORPHAN)),
                name="claim_span_valid",
            ),
            models.CheckConstraint(condition=~Q(exact=""), name="claim_exact_not_empty"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in ClaimStatus]), name="claim_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.NOT_CHECK_WORTHY) | ~Q(not_check_worthy_reason=""),
                name="claim_not_check_worthy_has_reason",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="claim_not_duplicate_of_itself"),
            models.CheckConstraint(condition=Q(anchor_score__gte=0) & Q(anchor_score__lte=1), name="claim_score_range"),
            models.CheckConstraint(
                condition=Q(claimant_kind__in=[k.value for k in ClaimantKind]), name="claim_claimant_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(restated="") | Q(restated_at__isnull=False), name="claim_restated_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.exact[:80]
