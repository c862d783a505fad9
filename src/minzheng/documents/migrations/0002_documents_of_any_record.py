"""A document belongs to a record of any procedure (its code, id and number), no longer to a
case by a foreign key: documents knows no domain. Every document of a case keeps its case."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def link_records(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Case = apps.get_model("cases", "Case")
    number = Case.objects.filter(pk=OuterRef("case_id")).values("number")[:1]
    Document.objects.filter(case__isnull=False).update(
        procedure="case", record_id=F("case_id"), record_number=Subquery(number)
    )


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_issued_documents"),
        ("cases", "0005_procedure_layer"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="procedure",
            field=models.CharField(blank=True, max_length=20, verbose_name="procedure"),
        ),
        migrations.AddField(
            model_name="document",
            name="record_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="record"),
        ),
        migrations.AddField(
            model_name="document",
            name="record_number",
            field=models.CharField(blank=True, max_length=40, verbose_name="record number"),
        ),
        migrations.RunPython(link_records, elidable=False),
        migrations.RemoveField(model_name="document", name="case"),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["procedure", "record_id"], name="documents_d_procedu_aa7e3a_idx"),
        ),
    ]
