"""A claim's place in document order, kept by the database, and the index that pages an article's claims.

`document_order` is a stored generated column, so every write (save, update, bulk insert, raw SQL)
keeps it right; an article's pages are read from (article, document_order, id) without a sort.
"""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Coalesce


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0008_evidence_in_worker"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={"ordering": ["article", "document_order", "id"]},
        ),
        migrations.RemoveIndex(
            model_name="claim",
            name="claim_article_order",
        ),
        migrations.AddField(
            model_name="claim",
            name="document_order",
            field=models.GeneratedField(
                db_persist=True,
                expression=Coalesce("start", Value(2147483648)),
                help_text="Where the claim is in the text: its start, orphans last. Kept by the database on every write.",
                output_field=models.BigIntegerField(),
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["article", "document_order", "id"], name="claim_document_order"),
        ),
    ]
