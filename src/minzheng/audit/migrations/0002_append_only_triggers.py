"""Database-level protection on PostgreSQL (production): row UPDATE and DELETE on audit events
are refused by a trigger.

The application never updates or deletes events; the trigger stops anyone else with plain SQL
access short of dropping it, and `audit-verify` exposes any change made anyway (a deleted tail
and a TRUNCATE through the checkpoints anchored outside the database; 0003 refuses TRUNCATE).
The embedded SQLite database used for demos has no trigger, because Django's test flush empties
tables with DELETE there.
"""

from django.db import migrations

POSTGRES = [
    """CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER audit_event_no_change ON audit_auditevent",
    "DROP FUNCTION audit_event_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES}),
            _run({"postgresql": POSTGRES_DROP}),
        )
    ]
