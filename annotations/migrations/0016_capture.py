from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0015_notifications")]

    operations: list[migrations.operations.base.Operation] = []
