from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from annotations.models.teams import Team


class SourceFormat(models.TextChoices):
    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML"
    TEXT = "text", "Plain text"


class ArticleOrigin(models.TextChoices):
    """How an article's text came into the workbench."""

    PASTED = "pasted", "Pasted"
    UPLOADED = "uploaded", "Uploaded"
    FETCHED = "fetched", "Fetched by the server"
    CAPTURED = "captured", "Captured in a browser"


class Article(models.Model):
    """A news article under review. `text` is the reader-visible text all selectors point into."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="articles")
    title = models.CharField(max_length=500)
    canonical_url = models.URLField(max_length=2000, blank=True, db_index=True)
    publisher = models.CharField(max_length=200, blank=True)
    authors = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True)
    source_format = models.CharField(max_length=16, choices=SourceFormat.choices)
    source = models.TextField(help_text="The original input, exactly as imported.")
    text = models.TextField(help_text="Reader-visible text (markup removed); offsets are code points.")
    layout = models.JSONField(default=dict, help_text="Blocks and inline marks over `text`.")
    content_hash = models.CharField(max_length=64)
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Provenance of the current text: how it came in, by whom, when, and from which page.
    origin = models.CharField(max_length=10, choices=ArticleOrigin.choices, default=ArticleOrigin.PASTED)
    origin_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin_at = models.DateTimeField(null=True, blank=True)
    origin_url = models.URLField(
        max_length=2000, blank=True, help_text="The page the text was fetched or captured from, as its reader saw it."
    )
    origin_snapshot = models.ForeignKey(
        "annotations.Snapshot",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page's bytes as fetched by the server or captured in a browser.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "-created_at", "-id"], name="article_team_recent")]
        constraints = [
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="article_revision_positive"),
            models.CheckConstraint(
                condition=models.Q(source_format__in=[f.value for f in SourceFormat]),
                name="article_source_format_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(content_hash__regex=r"^[0-9a-f]{64}$"), name="article_content_hash_sha256"
            ),
            models.CheckConstraint(
                condition=models.Q(origin__in=[o.value for o in ArticleOrigin]), name="article_origin_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """An earlier text of an article, kept when the text is replaced."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    source_format = models.CharField(max_length=16, choices=SourceFormat.choices)
    source = models.TextField()
    text = models.TextField()
    layout = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_revision_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="article_revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.article} r{self.number}"
