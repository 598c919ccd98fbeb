from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models.teams import Team


class TokenKind(models.TextChoices):
    PERSONAL = "personal", "Personal API token"
    TEAM_READ = "team_read", "Team read-only API key"


class ApiToken(models.Model):
    """A bearer credential. Only its SHA-256 is stored; the token itself is shown once, at creation.

    Personal tokens act as their user (with the user's roles in each team). Team keys are
    read-only and see one team, for integrators.
    """

    kind = models.CharField(max_length=10, choices=TokenKind.choices)
    name = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise a token in lists.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=TokenKind.PERSONAL) & Q(user__isnull=False) & Q(team__isnull=True))
                | (Q(kind=TokenKind.TEAM_READ) & Q(team__isnull=False) & Q(user__isnull=True)),
                name="api_token_owner_matches_kind",
            ),
            models.CheckConstraint(condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="api_token_hash_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
