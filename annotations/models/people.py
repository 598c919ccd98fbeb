"""People joining and leaving a team: invitations by email, and members set aside (deactivated)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from annotations.models.teams import Role, Team


class Invitation(models.Model):
    """An invitation to join `team` with `role`, sent to `email` as a link.

    The link carries a random token; only its SHA-256 is stored, so the rows alone open nothing.
    Resending replaces the token (the old link dies) and sets a new expiry. An invitation is open
    until it is accepted or revoked; a team has at most one open invitation per address.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REVIEWER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the current link was last emailed.")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "team",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_team_email",
            ),
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 (a pattern, not a secret)
                name="invitation_hash_sha256",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_later"),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.team} ({self.role})"


class Deactivation(models.Model):
    """A member set aside: their membership is gone while this row keeps their role for reactivation.

    Every membership lookup (pages, API, tokens, the policy) finds no membership, so they can do
    nothing in the team; claims, comments, verdicts and audit events keep pointing at their user.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="deactivations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deactivations")
    role = models.CharField(max_length=16, choices=Role.choices)
    member_since = models.DateTimeField()
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deactivated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="deactivation_unique_per_team_user"),
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="deactivation_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} set aside in {self.team}"
