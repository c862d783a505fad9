"""The lock of a released payroll in the database itself: its lines' payee, case and amounts
cannot change, no line can be added to it (and, on PostgreSQL, none removed), and the payroll
cannot leave the released status. The services check the status and version before writing;
these triggers stop anyone else with plain SQL access, and any bug of ours.

Changes a released line still takes: its bank status (sent, returned), its attempt and the
account of a re-issue after a correction. SQLite gets no DELETE trigger, because Django's test
flush empties tables with DELETE there (PostgreSQL's uses TRUNCATE, which row triggers ignore).
"""

from django.db import migrations

LOCKED = (
    "payroll_id",
    "program",
    "period",
    "beneficiary_id",
    "case_id",
    "monthly_fen",
    "months",
    "first_month",
    "regular_fen",
    "back_pay_fen",
    "adjustment_fen",
    "care_fen",
    "amount_fen",
)
_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in LOCKED)
_NEW = ", ".join(f"NEW.{c}" for c in LOCKED)
_OLD = ", ".join(f"OLD.{c}" for c in LOCKED)
_RELEASED = "(SELECT status FROM payments_payroll WHERE id = {row}.payroll_id) = 'released'"

SQLITE = [
    f"""CREATE TRIGGER payments_line_locked_update BEFORE UPDATE ON payments_line
        WHEN {_RELEASED.format(row="OLD")} AND ({_CHANGED})
        BEGIN SELECT RAISE(ABORT, 'payroll released: its lines are locked'); END""",
    f"""CREATE TRIGGER payments_line_locked_insert BEFORE INSERT ON payments_line
        WHEN {_RELEASED.format(row="NEW")}
        BEGIN SELECT RAISE(ABORT, 'payroll released: no line can be added'); END""",
    """CREATE TRIGGER payments_payroll_stays_released BEFORE UPDATE ON payments_payroll
        WHEN OLD.status = 'released' AND (NEW.status IS NOT 'released'
             OR NEW.total_fen IS NOT OLD.total_fen OR NEW.line_count IS NOT OLD.line_count)
        BEGIN SELECT RAISE(ABORT, 'payroll released: it is locked'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER payments_line_locked_update",
    "DROP TRIGGER payments_line_locked_insert",
    "DROP TRIGGER payments_payroll_stays_released",
]
POSTGRES = [
    f"""CREATE FUNCTION payments_line_locked() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            IF {_RELEASED.format(row="NEW")} THEN
              RAISE EXCEPTION 'payroll % released: no line can be added', NEW.payroll_id;
            END IF;
            RETURN NEW;
          END IF;
          IF {_RELEASED.format(row="OLD")} AND
             (TG_OP = 'DELETE' OR ({_NEW}) IS DISTINCT FROM ({_OLD})) THEN
            RAISE EXCEPTION 'payroll % released: its lines are locked', OLD.payroll_id;
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER payments_line_lock BEFORE INSERT OR UPDATE OR DELETE ON payments_line
       FOR EACH ROW EXECUTE FUNCTION payments_line_locked()""",
    """CREATE FUNCTION payments_payroll_locked() RETURNS trigger AS $$
        BEGIN
          IF OLD.status = 'released' AND (TG_OP = 'DELETE' OR NEW.status <> 'released'
             OR NEW.total_fen <> OLD.total_fen OR NEW.line_count <> OLD.line_count) THEN
            RAISE EXCEPTION 'payroll % released: it is locked', OLD.id;
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER payments_payroll_lock BEFORE UPDATE OR DELETE ON payments_payroll
       FOR EACH ROW EXECUTE FUNCTION payments_payroll_locked()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER payments_line_lock ON payments_line",
    "DROP FUNCTION payments_line_locked()",
    "DROP TRIGGER payments_payroll_lock ON payments_payroll",
    "DROP FUNCTION payments_payroll_locked()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)  # no placeholders: % is literal

    return run


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_payments")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
