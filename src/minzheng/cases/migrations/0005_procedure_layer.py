"""Cases move onto the procedure layer: their periods (办理时限, 公示期, 补办手续时限) become
procedures.Deadline rows, 特困's support and 低保's gradual exit leave the case table for
tables of their own, the counters and attachments move to procedures, and the database
enforces one live case per household, program and person. Every existing row is carried over
before a column is dropped (tests/cases/test_migration.py loads a populated database of the
previous schema and finds each row)."""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models

from minzheng.cases.migrations._moving import move_to_procedures

OPEN = ["submitted", "accepted", "investigated", "reviewed", "publicised", "awaiting"]
LIVE = [*OPEN, "approved", "suspended"]
# open, or decided and in force (a one-off grant is not, once decided)
HOLDS = models.Q(("status__in", OPEN), models.Q(("status__in", LIVE), models.Q(("program__in", ["temporary"]), _negated=True)), _connector="OR")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_taper"),
        ("procedures", "0001_counters_deadlines_attachments"),
    ]

    operations = [
        migrations.CreateModel(
            name="GradualExit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("since", models.DateField(verbose_name="since")),
                ("until", models.DateField(db_index=True, verbose_name="gradual exit until")),
                ("case", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="gradual_exit", to="cases.case")),
            ],
            options={"verbose_name": "gradual exit", "verbose_name_plural": "gradual exits"},
        ),
        migrations.CreateModel(
            name="TekunSupport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("mode", models.CharField(max_length=12, verbose_name="support mode")),
                ("care_band", models.CharField(blank=True, max_length=8, verbose_name="care level")),
                ("case", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="tekun_support", to="cases.case")),
            ],
            options={"verbose_name": "support of a destitute person", "verbose_name_plural": "support of destitute persons"},
        ),
        migrations.RunPython(move_to_procedures, elidable=False),
        migrations.RemoveField(model_name="attachment", name="case"),
        migrations.RemoveField(model_name="attachment", name="uploaded_by"),
        migrations.DeleteModel(name="Attachment"),
        migrations.DeleteModel(name="Counter"),
        migrations.RemoveField(model_name="case", name="care_band"),
        migrations.RemoveField(model_name="case", name="due_on"),
        migrations.RemoveField(model_name="case", name="emergency"),
        migrations.RemoveField(model_name="case", name="extended"),
        migrations.RemoveField(model_name="case", name="paperwork_done_on"),
        migrations.RemoveField(model_name="case", name="paperwork_due_on"),
        migrations.RemoveField(model_name="case", name="publicity_ends_on"),
        migrations.RemoveField(model_name="case", name="support_mode"),
        migrations.RemoveField(model_name="case", name="taper_until"),
        migrations.AlterField(
            model_name="case",
            name="number",
            field=models.CharField(max_length=40, unique=True, verbose_name="case number"),
        ),
        migrations.AlterField(
            model_name="case",
            name="program",
            field=models.CharField(choices=[("dibao", "最低生活保障"), ("dibao_edge", "低保边缘家庭"), ("tekun", "特困人员救助供养"), ("rigid", "刚性支出困难家庭"), ("temporary", "临时救助"), ("child_allowance", "孤儿、事实无人抚养儿童基本生活费"), ("disability_living", "困难残疾人生活补贴"), ("disability_nursing", "重度残疾人护理补贴"), ("elderly", "高龄津贴")], max_length=20, verbose_name="program"),
        ),
        migrations.AlterField(
            model_name="case",
            name="status",
            field=models.CharField(choices=[("submitted", "Submitted"), ("accepted", "Accepted"), ("investigated", "Investigated"), ("reviewed", "Reviewed by the township"), ("publicised", "Under public notice"), ("awaiting", "Awaiting county decision"), ("approved", "Approved"), ("rejected", "Rejected"), ("suspended", "Suspended"), ("ended", "Ended")], db_index=True, default="submitted", max_length=20, verbose_name="status"),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(condition=models.Q(("program", "dibao"), HOLDS), fields=("household",), name="one_live_dibao_case_per_household"),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(models.F("household"), models.F("program"), django.db.models.functions.comparison.Coalesce(models.F("person"), models.Value(0)), condition=models.Q(models.Q(("program", "dibao"), _negated=True), HOLDS), name="one_live_case_per_household_program_person"),
        ),
    ]
