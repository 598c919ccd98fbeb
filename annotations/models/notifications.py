from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models.claims import Claim
from annotations.models.discussion import AuditEvent
from annotations.models.teams import Team


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "A claim is assigned to me"
    CHANGES_REQUESTED = "changes_requested", "Changes are requested on my claim"
    APPROVED = "approved", "My verdict is approved"
    PUBLISHED = "published", "My verdict is published"
    DUE = "due", "A claim of mine is due within a day or overdue"
    MENTION = "mention", "Someone mentions me in a comment"
    CORRECTION = "correction", "A correction is published on a claim I worked on"


EMAIL_BY_DEFAULT = frozenset(
    {NotificationKind.ASSIGNED, NotificationKind.CHANGES_REQUESTED, NotificationKind.MENTION, NotificationKind.DUE}
)
"""The kinds sent by email unless the user turns it off; every kind shows in the inbox unless turned off."""


class Notification(models.Model):
    """Something a member should know, for one recipient: shown in their inbox (`in_app`), emailed
    (`email_wanted`, sent when `emailed_at` is set), or both. Written only by the worker."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.ForeignKey(
        AuditEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The audit event it tells of (none for a due date).",
    )
    due_at = models.DateTimeField(null=True, blank=True, help_text="The due date a due notice is for.")
    summary = models.CharField(max_length=500)
    link = models.CharField(max_length=2000, help_text="The page it is about, as a path on this site.")
    in_app = models.BooleanField(default=True)
    email_wanted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"], condition=Q(in_app=True), name="notification_inbox"
            ),
            models.Index(
                fields=["recipient"], condition=Q(in_app=True, read_at__isnull=True), name="notification_unread"
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(email_wanted=True, emailed_at__isnull=True),
                name="notification_email_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in NotificationKind]), name="notification_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["event", "recipient"], condition=Q(event__isnull=False), name="notification_once_per_event"
            ),
            models.UniqueConstraint(
                fields=["recipient", "claim", "due_at"], condition=Q(kind="due"), name="notification_due_once"
            ),
            models.CheckConstraint(
                condition=~Q(kind="due") | (Q(due_at__isnull=False) & Q(claim__isnull=False)),
                name="notification_due_has_date",
            ),
            models.CheckConstraint(condition=Q(in_app=True) | Q(email_wanted=True), name="notification_goes_somewhere"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.summary[:60]}"


class NotificationPreference(models.Model):
    """A user's choice for one kind; a kind with no row has the defaults (see EMAIL_BY_DEFAULT)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=False)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in NotificationKind]), name="notification_preference_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: in-app {self.in_app}, email {self.email}"


class NotificationDispatch(models.Model):
    """An audit event the worker has turned into notifications: the sweep sends the events that have
    none (the broker was down, or a bulk write bypassed the receiver), and a rerun does nothing."""

    event = models.OneToOneField(AuditEvent, primary_key=True, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"event {self.event_id}"
