"""The chain anchored outside the database: signed checkpoints in an append-only file (and a log
sink), against which `audit-verify` finds a deleted tail or a truncation (issue 19, finding 5)."""

import errno
import hashlib
import hmac
import json
import logging
import os
import uuid
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from minzheng.audit.errors import Error
from minzheng.audit.models import AuditChainHead, AuditEvent
from minzheng.audit.services import _digest, checkpoint, record, verify_chain
from tests.refusals import refused

NOON = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="TRUNCATE and its trigger are PostgreSQL's"
)


def _signed(seq: int, digest: str, time: str, key: bytes) -> str:
    """A checkpoint line made here, independently of the code under test."""
    message = json.dumps({"seq": seq, "hash": digest, "time": time}, sort_keys=True).encode()
    sig = hmac.new(key, message, hashlib.sha256).hexdigest()
    fields = {"seq": seq, "hash": digest, "time": time, "sig": sig}
    return json.dumps(fields, separators=(",", ":"))


def _anchor_key(settings) -> bytes:
    label = b"minzheng.audit.anchor.v1"
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), label, hashlib.sha256).digest()


def _lines(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _as_attacker(*statements: str, params=()) -> None:
    """Raw SQL by someone with database access; on PostgreSQL he disables the triggers first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("audit_auditevent", "audit_auditchainhead"):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        for statement in statements:
            cursor.execute(statement, params)


def _cut_tail_to(seq: int) -> None:
    """Delete the events after #seq and reset the chain head to #seq: the chain stays sound."""
    kept = AuditEvent.objects.get(seq=seq)
    _as_attacker("DELETE FROM audit_auditevent WHERE seq > %s", params=[seq])
    AuditChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=kept.hash)


def _verify_fails(capsys, *problems: str, checked: int, **options) -> None:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", **options)
    assert (
        str(failure.value) == f"审计日志校验失败：检查 {checked} 条，发现 {len(problems)} 处问题。"
    )
    assert capsys.readouterr().err.splitlines() == list(problems)


# Writing checkpoints


def test_the_command_appends_a_signed_checkpoint_and_logs_it(
    three_events, anchor, settings, monkeypatch, caplog, capsys
):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOON)
    with caplog.at_level(logging.INFO, logger="minzheng.audit.anchor"):
        call_command("audit_checkpoint")
    assert capsys.readouterr().out == f"已写入审计检查点 #3（{anchor}）。\n"
    line = _signed(3, three_events[2].hash, "2026-12-01T02:00:00+00:00", _anchor_key(settings))
    assert _lines(anchor) == [line]
    sunk = [r.getMessage() for r in caplog.records if r.name == "minzheng.audit.anchor"]
    assert sunk == [line]
    call_command("audit_checkpoint")
    assert len(_lines(anchor)) == 2  # appended, never rewritten


def test_an_empty_log_writes_no_checkpoint(db, anchor, capsys):
    call_command("audit_checkpoint")
    assert capsys.readouterr().out == "审计日志为空，未写检查点。\n"
    assert not anchor.exists()


def test_an_unwritable_checkpoint_file_is_refused(three_events, settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = tmp_path  # a directory
    with refused(Error.ANCHOR_UNWRITABLE):
        checkpoint()
    with pytest.raises(CommandError) as failure:
        call_command("audit_checkpoint")
    assert str(failure.value) == f"无法写入审计检查点文件 {tmp_path}：{os.strerror(errno.EISDIR)}"


def test_record_anchors_every_nth_event_once_committed(
    db, anchor, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EVERY = 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        events = [record("person.revealed", object_type="person", object_id=n) for n in (1, 2, 3)]
    assert len(callbacks) == 1
    assert [json.loads(line)["seq"] for line in _lines(anchor)] == [2]
    assert json.loads(_lines(anchor)[0])["hash"] == events[1].hash
    # An event rolled back with its transaction is never anchored.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record("person.revealed", object_type="person", object_id=4)  # #4
        raise RuntimeError("the operation fails")
    assert (callbacks, len(_lines(anchor))) == ([], 1)


def test_a_failed_automatic_checkpoint_is_logged_and_the_event_stands(
    db, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EVERY = 1
    settings.AUDIT_ANCHOR_FILE = tmp_path  # a directory: the write fails
    with (
        caplog.at_level(logging.ERROR, logger="minzheng.audit"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        event = record("person.revealed", object_type="person", object_id=1)
    assert AuditEvent.objects.get().hash == event.hash
    errors = [(r.name, r.getMessage()) for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [("minzheng.audit", "审计检查点 #1 写入失败")]


# Verifying against them


def test_an_intact_chain_agrees_with_its_checkpoints(three_events, anchor, capsys):
    checkpoint()
    record("person.revealed", object_type="person", object_id=8)
    record("person.revealed", object_type="person", object_id=9)
    checkpoint()
    report = verify_chain()
    assert (report.problems, report.checked, report.checkpoints, report.anchored) == ([], 5, 2, 5)
    call_command("audit_verify")
    assert capsys.readouterr().out.splitlines() == [
        "审计日志完整：已校验 5 条事件。",
        f"与 2 个检查点一致，最新至 #5（{anchor}）。",
    ]


def test_without_checkpoints_the_command_says_so(three_events, anchor, capsys):
    call_command("audit_verify")
    assert capsys.readouterr().out.splitlines() == [
        "审计日志完整：已校验 3 条事件。",
        f"尚无检查点（{anchor}）。",
    ]


def test_a_deleted_tail_with_the_head_reset_is_detected(three_events, capsys):
    record("person.revealed", object_type="person", object_id=8)
    record("person.revealed", object_type="person", object_id=9)
    checkpoint()  # at #5
    _cut_tail_to(3)
    cut = "审计日志被截断：检查点已记录到 #5，现在最后一条为 #3"
    assert verify_chain().problems == [cut]  # the chain alone is sound: only the anchor tells
    _verify_fails(capsys, cut, checked=3)


def test_every_event_deleted_is_detected(three_events, capsys):
    checkpoint()
    _as_attacker("DELETE FROM audit_auditevent", "DELETE FROM audit_auditchainhead")
    emptied = "审计日志被截断：检查点已记录到 #3，现在没有任何事件"
    assert verify_chain().problems == [emptied]
    _verify_fails(capsys, emptied, checked=0)


def test_a_chain_rebuilt_with_the_key_disagrees_with_its_checkpoint(three_events):
    """Whoever holds the chain's key can rewrite an event and its hash; not the checkpoint
    already shipped elsewhere."""
    checkpoint()
    third = three_events[2]
    third.reason = "nothing happened"
    rebuilt = _digest(third.prev_hash, third)
    _as_attacker(
        "UPDATE audit_auditevent SET reason = 'nothing happened', hash = %s WHERE seq = 3",
        params=[rebuilt],
    )
    AuditChainHead.objects.filter(pk=1).update(last_hash=rebuilt)
    assert verify_chain().problems == ["事件 #3 的哈希与检查点不符（事件被篡改或链被重建）"]


def test_forged_edited_and_garbled_checkpoints_are_detected(three_events, anchor, settings):
    checkpoint()
    genuine = json.loads(_lines(anchor)[0])
    edited = json.dumps({**genuine, "seq": 9})  # the tail claimed longer, signature kept
    forged = _signed(7, "f" * 64, "2026-12-01T02:00:00+00:00", b"a guessed key")
    with anchor.open("a", encoding="utf-8") as file:
        file.write(f"{edited}\n{forged}\nnot a checkpoint\n")
    report = verify_chain()
    assert report.problems == [
        f"审计检查点文件 {anchor} 第 2 行签名无效（检查点被伪造或改动）",
        f"审计检查点文件 {anchor} 第 3 行签名无效（检查点被伪造或改动）",
        f"审计检查点文件 {anchor} 第 4 行无法解析（检查点被改动）",
    ]
    assert (report.checkpoints, report.anchored) == (1, 3)  # the forged ones count for nothing


def test_a_checkpoint_signed_with_the_derived_key_only_is_accepted(three_events, anchor, settings):
    """The checkpoints' key is derived from AUDIT_HMAC_KEY, not the chain's key itself."""
    time = "2026-12-01T02:00:00+00:00"
    chain_key = settings.AUDIT_HMAC_KEY.encode()
    anchor.write_text(
        _signed(3, three_events[2].hash, time, chain_key)
        + "\n"
        + _signed(3, three_events[2].hash, time, _anchor_key(settings))
        + "\n",
        encoding="utf-8",
    )
    report = verify_chain()
    assert report.problems == [f"审计检查点文件 {anchor} 第 1 行签名无效（检查点被伪造或改动）"]
    assert report.checkpoints == 1


def test_a_missing_checkpoint_file_is_reported_once_checkpoints_were_expected(
    three_events, anchor, settings
):
    settings.AUDIT_CHECKPOINT_EVERY = 4
    assert verify_chain().problems == []  # no automatic checkpoint yet
    settings.AUDIT_CHECKPOINT_EVERY = 3
    hint = "日志已到 #3，应有检查点；刚启用检查点时先运行 minzheng audit-checkpoint"
    assert verify_chain().problems == [f"找不到审计检查点文件 {anchor}（{hint}）"]
    anchor.write_text("\n", encoding="utf-8")
    assert verify_chain().problems == [f"审计检查点文件 {anchor} 中没有检查点（{hint}）"]


def test_an_unreadable_checkpoint_file_is_reported(three_events, settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = tmp_path  # a directory
    assert verify_chain().problems == [
        f"无法读取审计检查点文件 {tmp_path}：{os.strerror(errno.EISDIR)}"
    ]


def test_a_copy_shipped_elsewhere_finds_what_the_local_file_no_longer_can(
    three_events, anchor, tmp_path, capsys
):
    checkpoint()
    shipped = tmp_path / "shipped.jsonl"
    shipped.write_bytes(anchor.read_bytes())
    _cut_tail_to(2)
    anchor.unlink()  # the attacker removes the local file as well
    assert verify_chain().problems == []
    cut = "审计日志被截断：检查点已记录到 #3，现在最后一条为 #2"
    assert verify_chain(anchor_path=shipped).problems == [cut]
    _verify_fails(capsys, cut, checked=2, anchor=str(shipped))
    missing = tmp_path / "elsewhere.jsonl"
    hint = "日志已到 #2，应有检查点；刚启用检查点时先运行 minzheng audit-checkpoint"
    assert verify_chain(anchor_path=missing).problems == [
        f"找不到审计检查点文件 {missing}（{hint}）"
    ]


# PostgreSQL refuses TRUNCATE


def _truncate(cursor, table: str, allow: str = "") -> None:
    cursor.execute("SELECT set_config('minzheng.audit_truncate', %s, true)", [allow])
    cursor.execute(f"TRUNCATE {table}")


@postgres_only
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditchainhead"])
def test_postgresql_refuses_truncate(three_events, table):
    with (
        pytest.raises(DatabaseError, match=f"the audit log cannot be truncated: {table}"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        _truncate(cursor, table)
    assert (AuditEvent.objects.count(), AuditChainHead.objects.get().last_seq) == (3, 3)


@postgres_only
def test_postgresql_truncates_only_for_an_owner_who_asks(three_events):
    """The exception (Django's test flush) gives no one more than he has: the table's owner or a
    superuser could disable the trigger anyway; a role merely granted TRUNCATE cannot."""
    role = f"audit_truncater_{uuid.uuid4().hex[:8]}"  # created in the test's transaction
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT TRUNCATE ON audit_auditevent TO {role}")
        with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic():
            cursor.execute(f"SET LOCAL ROLE {role}")
            _truncate(cursor, "audit_auditevent", allow="allow")
        assert AuditEvent.objects.count() == 3
        with pytest.raises(RuntimeError), transaction.atomic():
            _truncate(cursor, "audit_auditevent", allow="allow")
            assert AuditEvent.objects.count() == 0
            raise RuntimeError("roll the truncation back")
    assert AuditEvent.objects.count() == 3


@postgres_only
def test_postgresql_truncation_with_the_triggers_disabled_is_detected(three_events, capsys):
    checkpoint()
    _as_attacker("TRUNCATE audit_auditevent, audit_auditchainhead")
    assert (AuditEvent.objects.count(), AuditChainHead.objects.count()) == (0, 0)
    emptied = "审计日志被截断：检查点已记录到 #3，现在没有任何事件"
    assert verify_chain().problems == [emptied]
    _verify_fails(capsys, emptied, checked=0)
