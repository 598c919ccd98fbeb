"""Evidence found by the earlier finder (EVIDENCE_VERSION 1) is found again by the worker.

Each fetched source is marked pending and the outbox sweep queues its check; its current evidence
stays shown until the new one is recorded. Sources whose fetch failed have no evidence to redo.
"""

from typing import Any

from django.db import migrations


def find_again(apps: Any, schema_editor: Any) -> None:
    Source = apps.get_model("annotations", "Source")
    Source.objects.filter(snapshot__status="fetched", evidence_pending=False).update(
        evidence_pending=True, evidence_queued_at=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0012_snapshot_warc"),
    ]

    operations = [
        migrations.RunPython(find_again, migrations.RunPython.noop),
    ]
