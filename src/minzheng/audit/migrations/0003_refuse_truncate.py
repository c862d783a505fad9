"""PostgreSQL refuses TRUNCATE of the audit tables (a TRUNCATE fires no DELETE trigger).

A statement trigger on each table raises, unless the session both asks for it
(`SET minzheng.audit_truncate = 'allow'`) and may alter the table anyway — its owner or a
superuser, who could as well disable or drop the trigger. The exception gives no one a power he
lacks; it lets Django's test flush, which empties every table with one TRUNCATE, run in a
session configured for it. Whatever is done with the trigger disabled, `audit-verify` finds a
truncated log from the checkpoints anchored outside the database (audit/anchor.py).

SQLite has no TRUNCATE; a DELETE of every row there is found the same way.
"""

from django.db import migrations

TABLES = ["audit_auditevent", "audit_auditchainhead"]

POSTGRES = [
    """CREATE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
       BEGIN
         IF current_setting('minzheng.audit_truncate', true) = 'allow'
            AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                            'USAGE') THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION USING MESSAGE = 'the audit log cannot be truncated: ' || TG_TABLE_NAME;
       END $$ LANGUAGE plpgsql""",
    *(
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()"""
        for table in TABLES
    ),
]
POSTGRES_DROP = [
    *(f"DROP TRIGGER {table}_no_truncate ON {table}" for table in TABLES),
    "DROP FUNCTION audit_refuse_truncate()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES}),
            _run({"postgresql": POSTGRES_DROP}),
        )
    ]
