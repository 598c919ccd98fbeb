from django.conf import settings
from django.db import models

from annotations.matching.ranking import DEFAULT_THRESHOLD


class Team(models.Model):
    """A fact-checking desk. Every domain row belongs to exactly one team."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    default_due_days = models.PositiveSmallIntegerField(default=3)
    # The public profile: the ClaimReview `author` and the public pages' masthead. Empty means the
    # team's own name and its public index page.
    public_name = models.CharField(max_length=200, blank=True, default="", db_default="")
    public_url = models.URLField(max_length=2000, blank=True, default="", db_default="")
    logo_url = models.URLField(max_length=2000, blank=True, default="", db_default="")
    similarity_threshold = models.FloatField(
        default=DEFAULT_THRESHOLD,
        db_default=DEFAULT_THRESHOLD,
        help_text="Already checked? shows earlier claims whose match score (0–1) is at least this.",
    )
    suggestions_enabled = models.BooleanField(
        default=True, db_default=True, help_text="Suggest check-worthy claims in the team's articles."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(similarity_threshold__gte=0) & models.Q(similarity_threshold__lte=1),
                name="team_similarity_threshold_range",
            ),
            models.CheckConstraint(
                condition=models.Q(public_url="") | models.Q(public_url__regex=r"^https?://[^\s]+$"),
                name="team_public_url_http",
            ),
            models.CheckConstraint(
                condition=models.Q(logo_url="") | models.Q(logo_url__regex=r"^https?://[^\s]+$"),
                name="team_logo_url_http",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REVIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_per_team_user"),
            models.CheckConstraint(condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"
