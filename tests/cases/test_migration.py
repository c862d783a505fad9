"""The move of cases onto the procedure layer keeps every row: a database of the schema before
it, filled with cases of every kind, is migrated to the newest schema, and each period, each
program's terms, each counter, attachment and document is found where it now lives.

It runs in a process of its own on a fresh database (a SQLite file, or a new PostgreSQL
database when the suite runs on PostgreSQL), so the test database is never migrated back."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
C = "330122000000"
EXPECTED = {
    "cases": [
        ["SA-1", "dibao", "accepted"],
        ["SA-2", "dibao", "awaiting"],
        ["SA-3", "dibao", "publicised"],
        ["SA-4", "tekun", "approved"],
        ["SA-5", "dibao", "approved"],
        ["SA-6", "temporary", "approved"],
        ["SA-7", "temporary", "approved"],
        ["SA-8", "dibao", "rejected"],
    ],
    # number, kind, unit, length, started, due, extended, notice, stopped
    "periods": [
        ["SA-1", "decision", "working_day", 30, "2024-09-27", "2024-11-13", False, False, None],
        ["SA-2", "decision", "working_day", 45, "2024-09-27", "2024-12-04", True, False, None],
        [
            "SA-2",
            "publicity",
            "calendar_day",
            7,
            "2024-10-10",
            "2024-10-17",
            False,
            True,
            "2024-10-17",
        ],
        ["SA-3", "decision", "working_day", 30, "2024-09-27", "2024-11-13", False, False, None],
        ["SA-3", "publicity", "calendar_day", 7, "2024-10-10", "2024-10-17", False, True, None],
        [
            "SA-4",
            "decision",
            "working_day",
            30,
            "2024-09-27",
            "2024-11-13",
            False,
            False,
            "2024-10-21",
        ],
        [
            "SA-6",
            "paperwork",
            "working_day",
            5,
            "2024-09-27",
            "2024-10-10",
            False,
            False,
            "2024-10-09",
        ],
        ["SA-7", "paperwork", "working_day", 5, "2024-09-27", "2024-10-10", False, False, None],
        [
            "SA-8",
            "decision",
            "working_day",
            30,
            "2024-09-27",
            "2024-11-13",
            False,
            False,
            "2024-10-30",
        ],
    ],  # fmt: skip
    "tekun": [["SA-4", "centralised", "full"]],
    "gradual_exits": [["SA-5", "2025-03-10", "2025-09-01"]],
    "counters": [["case", C, 2024, 8], ["notice", C, 2024, 1]],
    "attachments": [
        [
            "SA-1",
            "application",
            "application.pdf",
            "cases/1/application.pdf",
            1234,
            "application" * 4,
        ],
        [
            "SA-1",
            "certificate",
            "certificate.pdf",
            "cases/1/certificate.pdf",
            1234,
            "certificate" * 4,
        ],
    ],  # fmt: skip
    "documents": [
        ["民公〔2024〕330122-00001号", "", ""],
        ["民救〔2024〕330122-00001号", "case", "SA-4"],
    ],
    "consents": 1,
    "reviews": 1,
}


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of an empty database of the suite's kind, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'before.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"mz_migration_{uuid.uuid4().hex[:10]}"
    admin = {"host": settings["HOST"], "port": settings["PORT"] or 5432, "user": settings["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{admin['user']}@{admin['host']}:{admin['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_row_of_the_previous_schema_is_found_after_the_migration(fresh_database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database,
        "DJANGO_SETTINGS_MODULE": "minzheng.settings",
        "MINZHENG_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.cases.migration_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == EXPECTED
