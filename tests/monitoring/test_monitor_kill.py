"""The monthly run killed for real: `minzheng monitor` runs in a child process and is stopped
with SIGKILL after the indicators stage has written its warnings but before the run recorded
the stage; the same command run again finishes the run and repeats nothing.

The child sees the test database: PostgreSQL's by its name, SQLite's in-memory one through a
file copied out before the child starts and back in after it was killed (SQLite's backup API).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import date
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from minzheng.audit.models import AuditEvent
from minzheng.monitoring.models import Fact, FeedFile, MonitorRun, OutreachTask, Warning
from tests.factories import TOWNSHIP_A, first_village, make_household
from tests.monitoring import monitor_child
from tests.monitoring.conftest import csv_of

COUNTY = "330122000000"
ARGUMENTS = ["--period", "2024-10", "--region", COUNTY, "--date", "2024-11-04"]
WATCHDOG_SECONDS = 60


@pytest.fixture
def inbox(tmp_path, household, receiving):
    """The head of a household receiving 低保 died on 2024-10-12."""
    head = household.members.order_by("id").first()
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "deaths_2024-10.csv").write_bytes(
        csv_of("身份证号,姓名,死亡日期", f"{head.id_number},{head.name},2024-10-12")
    )
    return folder


@pytest.fixture
def unreached(regions):
    """Two adults with no income and no case: eligible for 低保 only."""
    household = make_household(first_village(TOWNSHIP_A), members=2)
    for index, person in enumerate(household.members.order_by("id")):
        person.birth_date = date(1980 + 10 * index, 3, 1)
        person.save(update_fields=["birth_date"])
    return household


@pytest.fixture
def sqlite_copy(tmp_path) -> Path | None:
    """The file the child uses in place of SQLite's in-memory test database."""
    return tmp_path / "child.sqlite3" if connection.vendor == "sqlite" else None


@pytest.fixture
def child_env(tmp_path, sqlite_copy):
    """The parent's environment (the same DEBUG and secrets, so the same blind indexes and
    audit keys) with the test database as DATABASE_URL."""
    if sqlite_copy:
        url = f"sqlite:///{sqlite_copy}"
    else:
        settings = connection.settings_dict
        user = quote(settings["USER"], safe="")
        password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
        host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        url = f"postgres://{user}{password}@{host}/{settings['NAME']}"
    return os.environ | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "minzheng.settings",
        "MINZHENG_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    }


def kill_when_held(inbox, env, sqlite_copy) -> str:
    """Run the child until it prints the marker, SIGKILL it, return what it printed."""
    if sqlite_copy:
        connection.ensure_connection()
        with sqlite3.connect(sqlite_copy) as target:
            connection.connection.backup(target)
        target.close()
    command = [sys.executable, "-u", monitor_child.__file__, *ARGUMENTS, "--inbox", str(inbox)]
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    watchdog = threading.Timer(WATCHDOG_SECONDS, child.kill)
    watchdog.start()
    lines = []
    try:
        for line in child.stdout:
            lines.append(line)
            if monitor_child.MARKER in line:
                os.kill(child.pid, signal.SIGKILL)
                break
    finally:
        watchdog.cancel()
        child.wait(timeout=30)
        child.stdout.close()
    output = "".join(lines)
    assert monitor_child.MARKER in output and child.returncode == -signal.SIGKILL, output
    if sqlite_copy:
        with sqlite3.connect(sqlite_copy) as source:
            source.backup(connection.connection)
        source.close()
    return output


def rows() -> tuple[int, int, int, int]:
    return (
        FeedFile.objects.count(),
        Fact.objects.count(),
        Warning.objects.count(),
        OutreachTask.objects.count(),
    )


def test_a_run_killed_midway_resumes_and_repeats_nothing(
    transactional_db, inbox, household, unreached, child_env, sqlite_copy
):
    # given a run killed by SIGKILL inside the indicators stage, after the stage's writes
    output = kill_when_held(inbox, child_env, sqlite_copy)

    # then the run stays at the unfinished stage, with the ingested file and its fact once
    assert "deaths_2024-10.csv：1 行，匹配 1，待复核 0，未匹配 0，无效 0" in output
    run = MonitorRun.objects.get()
    assert (run.stage, run.finished_at) == ("indicators", None)
    assert run.counts == {"files_received": 1, "files_repeated": 0, "files_refused": 0}
    assert rows() == (1, 1, 2, 0)

    # when the operator runs the command again
    out = StringIO()
    call_command("monitor", *ARGUMENTS, "--inbox", str(inbox), stdout=out)

    # then it resumes at the unfinished stage, finishes, and nothing is there twice
    assert "阶段：导入部门数据" not in out.getvalue()
    assert "指标命中 2 条，新增预警 0 条" in out.getvalue()
    run = MonitorRun.objects.get()
    assert run.stage == "done" and run.finished_at is not None
    assert run.counts == {
        "files_received": 1,
        "files_repeated": 0,
        "files_refused": 0,
        "warnings_found": 2,
        "warnings_new": 0,
        "outreach_found": 1,
        "outreach_new": 1,
    }
    assert rows() == (1, 1, 2, 1)
    assert sorted(
        Warning.objects.filter(household=household).values_list("indicator", "severity")
    ) == [("earner_died", "orange"), ("recipient_died", "red")]
    assert list(OutreachTask.objects.values_list("household_id", "program")) == [
        (unreached.pk, "dibao")
    ]
    raised = AuditEvent.objects.filter(action="warnings.raised").order_by("seq")
    assert [event.after["new"] for event in raised] == [2, 0]
    assert AuditEvent.objects.filter(action="feed.received").count() == 1
