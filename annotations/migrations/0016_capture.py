import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def backfill_origin(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Existing articles: fetched by the server when a fetched snapshot of the team holds their URL
    (what importing from a URL leaves behind), otherwise pasted. Who and when are their creator's."""
    Article = apps.get_model("annotations", "Article")
    Snapshot = apps.get_model("annotations", "Snapshot")
    Article.objects.update(origin_by=models.F("created_by"), origin_at=models.F("created_at"))
    fetched = (
        Snapshot.objects.filter(team_id=OuterRef("team_id"), status="fetched")
        .filter(Q(final_url=OuterRef("canonical_url")) | Q(url=OuterRef("canonical_url")))
        .order_by("created_at", "id")
        .values("pk")[:1]
    )
    Article.objects.exclude(canonical_url="").filter(source_format="text").annotate(
        fetched_snapshot=Subquery(fetched)
    ).filter(fetched_snapshot__isnull=False).update(
        origin="fetched", origin_url=models.F("canonical_url"), origin_snapshot=Subquery(fetched)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0015_notifications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="origin",
            field=models.CharField(
                choices=[
                    ("pasted", "Pasted"),
                    ("uploaded", "Uploaded"),
                    ("fetched", "Fetched by the server"),
                    ("captured", "Captured in a browser"),
                ],
                default="pasted",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="origin_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="article",
            name="origin_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="origin_snapshot",
            field=models.ForeignKey(
                blank=True,
                help_text="The page's bytes as fetched by the server or captured in a browser.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="annotations.snapshot",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="origin_url",
            field=models.URLField(
                blank=True,
                help_text="The page the text was fetched or captured from, as its reader saw it.",
                max_length=2000,
            ),
        ),
        migrations.AddField(
            model_name="snapshot",
            name="captured_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Set when the page was captured in a browser by this person, not fetched by the server.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("origin__in", ["pasted", "uploaded", "fetched", "captured"])),
                name="article_origin_valid",
            ),
        ),
        migrations.RunPython(backfill_origin, migrations.RunPython.noop, elidable=True),
    ]
