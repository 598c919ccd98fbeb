from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models.claims import Claim
from annotations.models.ratings import Rating
from annotations.models.teams import Team


class Verdict(models.Model):
    """A rating of a claim with its reasoning. Never overwritten: a new verdict supersedes the old one.

    Once published, a verdict stays on the record: it stops being current only when a published
    correction replaces it or when it is retracted (a database trigger refuses anything else, see
    migration 0004). A correction is proposed as a draft (`corrects` set, not current) that is
    either published or withdrawn, never deleted.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="verdicts")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="verdicts")
    summary = models.TextField()
    rationale = models.TextField(blank=True)
    is_current = models.BooleanField(default=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    correction_note = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="A correction draft withdrawn before publication; kept in the history."
    )
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retraction_note = models.TextField(blank=True, default="", db_default="", help_text="Public: why it was retracted.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "-created_at", "-id"]
        indexes = [models.Index(fields=["team", "-published_at", "-id"], name="verdict_team_published")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(is_current=True), name="verdict_one_current_per_claim"
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="verdict_summary_not_empty"),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_note=""), name="verdict_correction_has_note"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(approved_at__isnull=False),
                name="verdict_published_after_approval",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(corrects__isnull=False, published_at__isnull=True, withdrawn_at__isnull=True),
                name="verdict_one_pending_correction_per_claim",
            ),
            models.UniqueConstraint(
                fields=["corrects"], condition=Q(published_at__isnull=False), name="verdict_corrected_once"
            ),
            models.CheckConstraint(
                condition=Q(retracted_at__isnull=True)
                | (Q(published_at__isnull=False) & Q(is_current=False) & ~Q(retraction_note="")),
                name="verdict_retraction_published_with_note",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | (Q(published_at__isnull=True) & Q(is_current=False)),
                name="verdict_withdrawn_unpublished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.rating_id}"
