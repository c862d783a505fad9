import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from minzheng.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from minzheng.audit.services import record, verify_chain


def test_events_form_a_chain(three_events):
    first, second, third = three_events
    assert [e.seq for e in three_events] == [1, 2, 3]
    assert first.prev_hash == "0" * 64
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    assert AuditChainHead.objects.get(pk=1).last_hash == third.hash


def test_intact_chain_verifies(three_events, capsys):
    assert verify_chain().intact
    call_command("audit_verify")
    assert "审计日志完整：已校验 3 条事件。" in capsys.readouterr().out


def test_models_refuse_update_and_delete(three_events):
    event = three_events[0]
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # An attacker with SQL access would disable the trigger first.
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("case", "sql", "message"),
    [
        (
            "edited content",
            "UPDATE audit_auditevent SET reason = 'nothing happened' WHERE seq = 2",
            "事件 #2 的内容与其哈希不符",
        ),
        (
            "deleted middle event",
            "DELETE FROM audit_auditevent WHERE seq = 2",
            "事件序号不连续：期望 #2，实际 #3",
        ),
        (
            "deleted last event",
            "DELETE FROM audit_auditevent WHERE seq = 3",
            "链尾不符：记录的最后事件为 #3",
        ),
    ],
)
def test_tampering_is_detected(three_events, case, sql, message, capsys):
    _raw(sql)
    report = verify_chain()
    assert not report.intact
    assert any(message in problem for problem in report.problems), report.problems
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("audit_verify")
    assert message in capsys.readouterr().err


def test_recomputed_plain_hash_does_not_fool_the_keyed_chain(three_events):
    import hashlib

    forged = hashlib.sha256(b"forged").hexdigest()
    _raw("UPDATE audit_auditevent SET reason = 'x', hash = %s WHERE seq = 3", [forged])
    assert not verify_chain().intact


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="trigger exists on PostgreSQL")
def test_postgresql_trigger_refuses_raw_update(three_events):
    from django.db import DatabaseError, transaction

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE seq = 1")
    assert AuditEvent.objects.get(seq=1).reason == ""


def test_an_undeclared_action_is_refused_in_the_suite_and_nothing_is_written(db, settings):
    """The suite refuses actions no events.py declares (so each has a Chinese label)."""
    assert settings.AUDIT_DECLARED_ACTIONS_ONLY is True
    with pytest.raises(ValueError, match="demo.undeclared"):
        record("demo.undeclared", object_type="household", object_id=1)
    assert AuditEvent.objects.count() == 0
