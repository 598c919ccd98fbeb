"""Every fetch kept as WARC records beside the raw bytes, with the CDXJ index of its responses."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0011_suggestions"),
    ]

    operations = [
        migrations.AddField(
            model_name="snapshot",
            name="warc",
            field=models.FileField(
                blank=True,
                help_text="The fetch as WARC records: every hop's request and response, gzip-compressed per record.",
                upload_to="snapshots/%Y/%m/",
            ),
        ),
        migrations.AddField(
            model_name="snapshot",
            name="warc_index",
            field=models.TextField(blank=True, help_text="The CDXJ index lines of the WARC's responses."),
        ),
    ]
