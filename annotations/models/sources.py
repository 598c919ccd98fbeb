from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotations.models.claims import Claim
from annotations.models.teams import Team


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


class SnapshotStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    FETCHING = "fetching", "Fetching"
    FETCHED = "fetched", "Fetched"
    FAILED = "failed", "Failed"
    BLOCKED = "blocked", "Blocked"


class Snapshot(models.Model):
    """One fetch of a URL: what the report said when it was cited. Never edited after it is fetched."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="snapshots")
    url = models.URLField(max_length=2000, help_text="The requested URL.")
    final_url = models.URLField(max_length=2000, blank=True)
    redirect_chain = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.PENDING)
    reason = models.TextField(blank=True, help_text="Why a fetch failed or was blocked, in plain words.")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    title = models.TextField(blank=True)
    byline = models.TextField(blank=True)
    published = models.CharField(max_length=64, blank=True)
    text = models.TextField(blank=True, help_text="Extracted main text; never rendered as HTML.")
    extraction_state = models.CharField(max_length=16, blank=True)
    pages = models.JSONField(default=list, blank=True, help_text="Text by page, for PDFs.")
    body = models.FileField(upload_to="snapshots/%Y/%m/", blank=True)
    warc = models.FileField(
        upload_to="snapshots/%Y/%m/",
        blank=True,
        help_text="The fetch as WARC records: every hop's request and response, gzip-compressed per record.",
    )
    warc_index = models.TextField(blank=True, help_text="The CDXJ index lines of the WARC's responses.")
    attempts = models.PositiveSmallIntegerField(default=0)
    fetched_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    deadline_at = models.DateTimeField(
        null=True, blank=True, help_text="Pending: when the next attempt is due. Fetching: when the attempt expires."
    )
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When a fetch task was last sent for it.")
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when the page was captured in a browser by this person, not fetched by the server.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "url", "-fetched_at"], name="snapshot_team_url_recent"),
            models.Index(fields=["status", "deadline_at"], name="snapshot_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in SnapshotStatus]), name="snapshot_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SnapshotStatus.FETCHED) | Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="snapshot_fetched_has_sha256",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[SnapshotStatus.FAILED, SnapshotStatus.BLOCKED]) | ~Q(reason=""),
                name="snapshot_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.status})"


class Source(models.Model):
    """A report cited for a claim, with the reviewer's stance on what it shows."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="sources")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=2000)
    note = models.TextField(blank=True)
    stance = models.CharField(max_length=10, choices=Stance.choices)
    snapshot = models.ForeignKey(
        Snapshot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
        help_text="The latest snapshot of the URL.",
    )
    evidence = models.JSONField(default=list, blank=True, help_text="Where the snapshot says what the claim says.")
    evidence_pending = models.BooleanField(
        default=True,
        help_text="The evidence for the current snapshot and claim wording is still to be found (in the worker, "
        "once the snapshot is fetched).",
    )
    evidence_snapshot = models.ForeignKey(
        Snapshot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The snapshot the evidence was found in.",
    )
    evidence_wording = models.CharField(
        max_length=64, blank=True, help_text="A digest of the claim wording the evidence was found for (blank: none)."
    )
    evidence_queued_at = models.DateTimeField(null=True, blank=True, help_text="When an evidence task was last sent.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "created_at", "id"]
        indexes = [
            models.Index(fields=["snapshot"], condition=Q(evidence_pending=True), name="source_evidence_pending"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(stance__in=[s.value for s in Stance]), name="source_stance_valid"),
            models.CheckConstraint(
                condition=Q(evidence_pending=True) | Q(snapshot__isnull=True) | Q(evidence_snapshot=F("snapshot")),
                name="source_evidence_of_its_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return self.url


class SnapshotFold(models.Model):
    """A snapshot's text prepared once for the evidence check (`annotations.evidence.prepare`) and kept,
    so that checking another claim against it, or a claim's new wording, does not fold it again."""

    snapshot = models.OneToOneField(Snapshot, primary_key=True, on_delete=models.CASCADE, related_name="fold")
    version = models.PositiveSmallIntegerField(help_text="The EVIDENCE_VERSION it was made with.")
    chars = models.PositiveIntegerField(help_text="How many code points of the text were prepared.")
    folded = models.TextField()
    folded_offsets = models.BinaryField()
    loose = models.TextField()
    loose_offsets = models.BinaryField()
    figures = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"fold of snapshot {self.snapshot_id}"
