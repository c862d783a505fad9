"""The `minzheng` console script end to end, on a throwaway SQLite database."""

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

MINZHENG = [sys.executable, "-m", "minzheng.cli"]
DATABASE = "minzheng.sqlite3"
# The module's tests share one migrated database (copied for each), so they run on one worker.
pytestmark = pytest.mark.xdist_group("cli")


def _runner(var_dir: Path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(MINZHENG_VAR_DIR=str(var_dir), DEBUG="true")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*MINZHENG, *args], env=env, capture_output=True, text=True, timeout=180
        )

    return run


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """The console script's own migrate and load-regions, run once for the module."""
    var_dir = tmp_path_factory.mktemp("cli-template")
    run = _runner(var_dir)
    assert run("migrate", "--no-input").returncode == 0
    assert run("load-regions", "--max-level", "0", "--full", "330122").returncode == 0
    return var_dir / DATABASE


@pytest.fixture
def site(tmp_path, migrated):
    """A copy of the migrated database with the demo county's regions, for one test."""
    with (
        closing(sqlite3.connect(migrated)) as source,
        closing(sqlite3.connect(tmp_path / DATABASE)) as copy,
    ):
        source.backup(copy)
    return _runner(tmp_path), tmp_path / DATABASE


def test_createuser_then_audit_verify_passes(site):
    run, _ = site
    created = run(
        "createuser",
        "ops_audit",
        "--region",
        "330122000000",
        "--role",
        "audit_admin",
        "--password",
        "Audit-Passw0rd!",
    )
    assert created.returncode == 0, created.stderr
    assert "已创建账号 ops_audit（审计管理员）" in created.stdout
    verified = run("audit-verify")
    assert verified.returncode == 0
    assert "审计日志完整：已校验 2 条事件。" in verified.stdout


def test_audit_verify_fails_on_a_tampered_database(site):
    run, database = site
    run(
        "createuser",
        "ops_audit",
        "--region",
        "330122000000",
        "--role",
        "audit_admin",
        "--password",
        "Audit-Passw0rd!",
    )
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE audit_auditevent SET actor_name = 'someone' WHERE seq = 1")
    verified = run("audit-verify")
    assert verified.returncode == 1
    assert "事件 #1 的内容与其哈希不符（事件被篡改）" in verified.stderr
    assert "审计日志校验失败：检查 2 条，发现 1 处问题。" in verified.stderr


def test_createuser_refuses_a_weak_password_and_creates_nothing(site):
    run, database = site
    result = run("createuser", "weak", "--region", "330122000000", "--password", "password")
    assert result.returncode == 1
    assert "密码至少需要10个字符" in result.stderr
    with sqlite3.connect(database) as connection:
        users = connection.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0]
        events = connection.execute("SELECT COUNT(*) FROM audit_auditevent").fetchone()[0]
    assert (users, events) == (0, 0)
