"""A payee without a usable bank account is paid by cash or another recorded channel, never
by the bank: the line's channel, the finding's new resolutions, the paid-by-another-channel
status and the record of that payment (OtherPayment).

On SQLite, adding a NOT NULL column remakes payments_line, which drops the lock triggers of
0002: they are created again after it (and again after the column is removed on the way back).
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LOCK = importlib.import_module("minzheng.payments.migrations.0002_payroll_lock")
LINE_TRIGGERS = ("payments_line_locked_update", "payments_line_locked_insert")


def _line_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL alters the table in place and keeps its triggers
    for name in LINE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)
    for statement in LOCK.SQLITE:
        if "ON payments_line" in statement:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0003_programs_from_the_catalogue'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _line_triggers_again),
        migrations.AddField(
            model_name='line',
            name='channel',
            field=models.CharField(choices=[('bank', 'Bank transfer'), ('cash', 'Cash'), ('other', 'Another channel')], db_default='bank', default='bank', max_length=10, verbose_name='channel'),
        ),
        migrations.AlterField(
            model_name='flag',
            name='resolution',
            field=models.CharField(blank=True, choices=[('pay', 'Verified: pay'), ('hold', 'Hold this payment'), ('recover', 'Hold and recover what was overpaid'), ('cash', 'Pay in cash against a receipt, not through the bank'), ('other', 'Pay through another recorded channel, not the bank')], max_length=10, verbose_name='resolution'),
        ),
        migrations.AlterField(
            model_name='line',
            name='status',
            field=models.CharField(choices=[('due', 'To pay'), ('held', 'Held'), ('sent', 'Sent to the bank'), ('returned', 'Returned by the bank'), ('paid_other', 'Paid by another channel')], db_default='due', default='due', max_length=10, verbose_name='status'),
        ),
        migrations.CreateModel(
            name='OtherPayment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(choices=[('bank', 'Bank transfer'), ('cash', 'Cash'), ('other', 'Another channel')], max_length=10, verbose_name='channel')),
                ('receipt', models.CharField(max_length=60, verbose_name='receipt or reference number')),
                ('paid_on', models.DateField(verbose_name='paid on')),
                ('amount_fen', models.BigIntegerField(verbose_name='amount (fen)')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('line', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='other_payment', to='payments.line')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'payment by another channel',
                'verbose_name_plural': 'payments by another channel',
                'ordering': ['line', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('channel', 'bank'), _negated=True), name='other_payment_not_through_the_bank')],
            },
        ),
        migrations.RunPython(_line_triggers_again, migrations.RunPython.noop),
    ]
