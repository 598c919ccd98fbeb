from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0013_evidence_found_again")]

    operations: list[migrations.operations.base.Operation] = []
