"""The evidence check runs in the worker, once per (source, claim wording, snapshot), on a kept fold.

A source records what its evidence was found for (`evidence_snapshot`, `evidence_wording`) and
whether it is still to be found (`evidence_pending`, sent through the outbox like fetches). A
source's evidence not pending belongs to its current snapshot (a check constraint). Every source
starts pending but those whose fetch failed, so the outbox sweep finds the evidence of those with
a fetched snapshot again, in batches; what they show meanwhile is kept.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def settle_failed_fetches(apps: Any, schema_editor: Any) -> None:
    """A source whose fetch failed has no evidence to find."""
    Source = apps.get_model("annotations", "Source")
    Source.objects.filter(snapshot__status__in=["failed", "blocked"]).update(
        evidence_pending=False, evidence_snapshot=models.F("snapshot")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0007_claim_identity_and_wording"),
    ]

    operations = [
        migrations.CreateModel(
            name="SnapshotFold",
            fields=[
                (
                    "snapshot",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="fold",
                        serialize=False,
                        to="annotations.snapshot",
                    ),
                ),
                ("version", models.PositiveSmallIntegerField(help_text="The EVIDENCE_VERSION it was made with.")),
                ("chars", models.PositiveIntegerField(help_text="How many code points of the text were prepared.")),
                ("folded", models.TextField()),
                ("folded_offsets", models.BinaryField()),
                ("loose", models.TextField()),
                ("loose_offsets", models.BinaryField()),
                ("figures", models.JSONField(default=dict)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        # Every check reads a fold whole; uncompressed, it is written in about half the time and read faster.
        migrations.RunSQL(
            [
                f"ALTER TABLE annotations_snapshotfold ALTER COLUMN {column} SET STORAGE EXTERNAL"
                for column in ("folded", "folded_offsets", "loose", "loose_offsets")
            ],
            migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="source",
            name="evidence_pending",
            field=models.BooleanField(
                default=True,
                help_text="The evidence for the current snapshot and claim wording is still to be found (in the "
                "worker, once the snapshot is fetched).",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="evidence_queued_at",
            field=models.DateTimeField(blank=True, help_text="When an evidence task was last sent.", null=True),
        ),
        migrations.AddField(
            model_name="source",
            name="evidence_snapshot",
            field=models.ForeignKey(
                blank=True,
                help_text="The snapshot the evidence was found in.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="annotations.snapshot",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="evidence_wording",
            field=models.CharField(
                blank=True,
                help_text="A digest of the claim wording the evidence was found for (blank: none).",
                max_length=64,
            ),
        ),
        migrations.RunPython(settle_failed_fetches, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="source",
            index=models.Index(
                condition=models.Q(("evidence_pending", True)), fields=["snapshot"], name="source_evidence_pending"
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("evidence_pending", True),
                    ("snapshot__isnull", True),
                    ("evidence_snapshot", models.F("snapshot")),
                    _connector="OR",
                ),
                name="source_evidence_of_its_snapshot",
            ),
        ),
    ]
