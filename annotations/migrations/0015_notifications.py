from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0014_people")]

    operations: list[migrations.operations.base.Operation] = []
