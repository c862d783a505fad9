"""Backups that restore (issue 19, item 13): the drill restores a populated database into an
empty one with every row and an intact audit chain; a backup missing a key, a damaged file and
a target that is not empty are refused before anything is written.

The suite runs on SQLite, then on PostgreSQL (scripts/run_tests.sh; CI sets REQUIRE_POSTGRES=1,
so there the PostgreSQL pass cannot be skipped): each test runs on the suite's database, and the
drill's restore is the `minzheng restore` command in a process of its own."""

import sqlite3
import stat
from io import StringIO
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from minzheng.audit.models import AuditEvent
from minzheng.audit.services import checkpoint
from minzheng.backups import database, drill, keys, services
from minzheng.backups import manifest as manifests
from minzheng.backups.errors import Error
from minzheng.kit.crypto import new_key
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    first_village,
    load_test_regions,
    make_household,
    make_user,
)
from tests.refusals import refused

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="runs in the PostgreSQL pass of scripts/run_tests.sh",
)
MEDIA = {"documents/2024/申请书.pdf": b"%PDF-1.4 application", "photos/a.png": b"\x89PNG photo"}


@pytest.fixture
def site(transactional_db, settings, tmp_path):
    """A populated, committed site: the demo county, two households of two, two staff (their
    creation audited), a checkpoint of the audit chain, two media files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchor.jsonl"
    for name, content in MEDIA.items():
        (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / name).write_bytes(content)
    load_test_regions()
    for _ in range(2):
        make_household(first_village(TOWNSHIP_A), members=2)
    make_user("township_clerk", TOWNSHIP_A)
    make_user("county_approver", DEMO_COUNTY)
    checkpoint()
    return settings


def _tables_in(url: str) -> list[str]:
    """The tables of the database at `url`, read without Django."""
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        if not Path(config["NAME"]).exists():
            return []
        with sqlite3.connect(config["NAME"]) as db:
            return [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
    with psycopg.connect(
        dbname=config["NAME"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
    ) as db:
        return [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]


def _without_line(path: Path, prefix: str) -> None:
    lines = path.read_text().splitlines()
    path.write_text("".join(line + "\n" for line in lines if not line.startswith(prefix)))


def test_the_drill_restores_every_row_and_the_audit_chain(site, tmp_path):
    before = database.row_counts("default")
    out = StringIO()
    call_command("restore_drill", "--to", str(tmp_path / "backups"), stdout=out)
    (kept,) = (tmp_path / "backups").iterdir()
    manifest = manifests.read(kept)
    assert manifest["tables"] == before
    assert (manifest["tables"]["registry_household"], manifest["tables"]["registry_person"]) == (
        2,
        4,
    )
    assert manifest["tables"]["accounts_user"] == 2
    events = list(AuditEvent.objects.order_by("seq"))
    seq_at_backup = before["audit_auditevent"]
    assert (manifest["audit"]["last_seq"], manifest["audit"]["last_hash"]) == (
        seq_at_backup,
        events[seq_at_backup - 1].hash,
    )
    assert manifest["media"] == {"files": 2, "bytes": sum(len(c) for c in MEDIA.values())}
    printed = out.getvalue()
    assert f"表：{len(before)} 张，共 {sum(before.values())} 行" in printed
    assert f"审计日志：已校验 {seq_at_backup} 条事件" in printed
    assert "恢复完成并通过校验" in printed and "恢复演练通过" in printed
    # then the drill is in the log: the backup, and the drill that passed
    assert [(e.action, e.object_id) for e in events[seq_at_backup:]] == [
        ("backup.created", kept.name),
        ("backup.drill_run", kept.name),
    ]
    assert events[-1].after["passed"] is True
    assert events[-1].after["rows"] == sum(before.values())
    # the backup itself: only its owner reads it, every file with its SHA-256
    assert stat.S_IMODE(kept.stat().st_mode) == 0o700
    assert stat.S_IMODE((kept / "keys.env").stat().st_mode) == 0o600
    assert keys.read(kept / "keys.env") == keys.current()
    assert sorted(manifest["files"]) == sorted(
        [database.DUMP_FILE[connection.vendor], "media.tar", "audit-anchor.jsonl"]
    )
    for name, described in manifest["files"].items():
        assert manifests.sha256(kept / name) == described["sha256"]


@postgres_only
def test_postgresql_drill_uses_a_custom_format_dump_and_drops_its_database(site, tmp_path):
    report = drill.run(keep_in=tmp_path / "backups")
    assert report.passed, report.output
    assert report.target == f"{connection.settings_dict['NAME']}_drill"
    assert (report.backup.path / "database.dump").read_bytes()[:5] == b"PGDMP"
    assert report.backup.manifest["tool"].startswith("pg_dump (PostgreSQL)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [report.target])
        assert cursor.fetchone()[0] == 0


def test_a_backup_missing_a_key_is_refused_and_the_target_stays_empty(site, tmp_path):
    made = services.backup(tmp_path / "backups")
    _without_line(made.path / "keys.env", "FIELD_ENCRYPTION_KEY=")
    with refused(Error.KEY_MISSING) as refusal:
        services.check(made.path, None, "default")
    assert refusal.value.message.startswith("备份缺少密钥 FIELD_ENCRYPTION_KEY：")
    sandbox = tmp_path / "sandbox"
    with drill.drill_database("default", sandbox) as (url, _):
        code, output = drill.run_restore(made.path, url, sandbox)
        assert code != 0
        assert "备份缺少密钥 FIELD_ENCRYPTION_KEY：" in output
        assert _tables_in(url) == []
    assert not (sandbox / "media").exists()


def test_keys_kept_apart_are_found_and_keys_not_of_the_backup_are_refused(site, tmp_path):
    made = services.backup(tmp_path / "backups")
    apart = tmp_path / "offline" / "keys.env"
    apart.parent.mkdir()
    (made.path / "keys.env").rename(apart)
    with refused(Error.KEYS_FILE_MISSING):
        services.check(made.path, None, "default")
    with refused(Error.TARGET_NOT_EMPTY):  # the keys pass; this database is no target
        services.check(made.path, apart, "default")
    foreign = tmp_path / "foreign.env"
    keys.write(foreign, {**keys.current(), "BLIND_INDEX_KEY": "another-" + "x" * 40}, "x")
    with refused(Error.KEY_NOT_OF_BACKUP) as refusal:
        services.check(made.path, foreign, "default")
    assert "BLIND_INDEX_KEY" in refusal.value.message
    site.FIELD_ENCRYPTION_KEY = new_key()
    with refused(Error.KEY_DIFFERS) as refusal:
        services.check(made.path, apart, "default")
    assert refusal.value.message.startswith("当前环境的 FIELD_ENCRYPTION_KEY 与备份的不同")


def test_a_damaged_file_or_an_edited_manifest_is_refused(site, tmp_path):
    made = services.backup(tmp_path / "backups")
    tar = made.path / "media.tar"
    original = tar.read_bytes()
    tar.write_bytes(original[:600] + bytes([original[600] ^ 1]) + original[601:])
    with refused(Error.FILE_CORRUPT) as refusal:
        services.restore(made.path)
    assert "media.tar" in refusal.value.message
    tar.write_bytes(original)
    (made.path / "database.dump").unlink(missing_ok=True)
    (made.path / "database.sqlite3").unlink(missing_ok=True)
    with refused(Error.FILE_MISSING):
        services.restore(made.path)
    text = (made.path / "manifest.json").read_text()
    (made.path / "manifest.json").write_text(
        text.replace('"registry_household": 2', '"registry_household": 3')
    )
    with refused(Error.MANIFEST_SIGNATURE):
        services.restore(made.path)


def test_a_restore_that_does_not_match_its_manifest_exits_non_zero(site, tmp_path):
    made = services.backup(tmp_path / "backups")
    body = manifests.read(made.path)
    body["tables"]["registry_household"] = 3  # signed again: only the count is wrong
    manifests.write(made.path, body, keys.current()["AUDIT_HMAC_KEY"])
    sandbox = tmp_path / "sandbox"
    with drill.drill_database("default", sandbox) as (url, _):
        code, output = drill.run_restore(made.path, url, sandbox)
    assert code == 1
    assert "表 registry_household：备份时 3 行，恢复后 2 行" in output
    assert "恢复后的校验未通过：1 处与备份不符" in output


def test_restoring_into_a_database_that_is_not_empty_is_refused_and_changes_nothing(site, tmp_path):
    made = services.backup(tmp_path / "backups")
    before = database.row_counts("default")
    media_before = sorted(p.relative_to(site.MEDIA_ROOT) for p in site.MEDIA_ROOT.rglob("*"))
    with refused(Error.TARGET_NOT_EMPTY) as refusal:
        services.restore(made.path)
    filled = database.filled_tables("default")
    assert {"registry_household", "registry_person", "audit_auditevent"} <= set(filled)
    assert (
        f"已有数据的表有 {'、'.join(filled[:5])} 等 {len(filled)} 张表。" in refusal.value.message
    )
    assert database.row_counts("default") == before
    assert (
        sorted(p.relative_to(site.MEDIA_ROOT) for p in site.MEDIA_ROOT.rglob("*")) == media_before
    )
    assert AuditEvent.objects.order_by("-seq").first().action == "backup.created"
