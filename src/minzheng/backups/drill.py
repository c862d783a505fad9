"""The restore drill: a backup of this database, restored into a new, empty database by the
restore command itself, run in a process of its own as an operator would run it, which checks
the audit chain and every table's row count against the backup's manifest.

PostgreSQL: the drill database `<name>_drill` on the same server, created and dropped by the
drill (one left by an interrupted drill is dropped first). SQLite: a file in a temporary folder.
The restored media and audit checkpoints go to a temporary folder as well, never to the site's.
The drill is audited in this database: passed or not, with its figures."""

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from minzheng.audit.services import record
from minzheng.backups import database, keys, services
from minzheng.backups.errors import Error
from minzheng.backups.events import Event

Say = Callable[[str], None]
_PG_NAME_LIMIT = 63  # bytes of a PostgreSQL identifier
SUFFIX = "_drill"


def _quiet(message: str) -> None:
    pass


@dataclass(frozen=True)
class DrillReport:
    passed: bool
    backup: services.Backup
    target: str  # the drill database
    seconds: float
    output: str  # what the restore command printed


def run(
    *, keep_in: Path | None = None, say: Say = _quiet, using: str = DEFAULT_DB_ALIAS
) -> DrillReport:
    """Back up, restore into an empty database, report. `keep_in`: where the backup stays
    (by default a temporary folder, deleted with the drill)."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="minzheng-drill-") as work:
        folder = Path(keep_in) if keep_in else Path(work) / "backup"
        made = services.backup(folder, say=say, using=using, reason="cli:restore-drill")
        sandbox = Path(work) / "sandbox"
        with drill_database(using, sandbox) as (target_url, label):
            say(f"恢复到空的演练数据库 {label}（minzheng restore，独立进程）：")
            code, output = run_restore(made.path, target_url, sandbox, say=say)
    report = DrillReport(code == 0, made, label, time.monotonic() - started, output)
    with transaction.atomic(using=using):
        record(
            Event.DRILL_RUN,
            object_type="backup",
            object_id=made.path.name,
            after={
                "passed": report.passed,
                "engine": made.manifest["engine"],
                "tables": len(made.manifest["tables"]),
                "rows": made.rows,
                "seconds": round(report.seconds, 1),
            },
            reason=services.operator("cli:restore-drill"),
        )
    return report


def drill_name(using: str = DEFAULT_DB_ALIAS) -> str:
    base = str(connections[using].settings_dict["NAME"])
    return base.encode()[: _PG_NAME_LIMIT - len(SUFFIX)].decode(errors="ignore") + SUFFIX


@contextmanager
def drill_database(using: str, sandbox: Path) -> Iterator[tuple[str, str]]:
    """A new, empty database for the drill: (its DATABASE_URL, its name); dropped afterwards."""
    sandbox.mkdir(parents=True, exist_ok=True)
    live = connections[using]
    if live.vendor == "sqlite":
        path = sandbox / "drill.sqlite3"
        yield f"sqlite:///{path}", str(path)
        return
    database.engine(using)
    name = drill_name(using)
    # a connection of its own: CREATE and DROP DATABASE run outside any transaction
    server = type(live)(dict(live.settings_dict), alias=using)
    quoted = server.ops.quote_name(name)
    try:
        try:
            with server.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
                cursor.execute(f"CREATE DATABASE {quoted} TEMPLATE template0")
        except DatabaseError as exc:
            raise Error.DRILL_DATABASE.error(name=name, reason=str(exc).strip()) from None
        try:
            yield database.url(live.settings_dict, name), name
        finally:
            with server.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    finally:
        server.close()


def _environment(target_url: str, sandbox: Path) -> dict[str, str]:
    """This process's environment and settings, the database and the var folder changed: the
    restore runs with this site's keys against the drill database."""
    env = dict(os.environ)
    env.update(keys.current())
    env.update(DATABASE_URL=target_url, MINZHENG_VAR_DIR=str(sandbox))
    # (settings.SETTINGS_MODULE is None under override_settings, as in tests: the variable has it)
    module = env.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE or "minzheng.settings"
    env["DJANGO_SETTINGS_MODULE"] = module
    spec = importlib.util.find_spec(module.split(".")[0])
    if spec is not None and spec.origin:  # the settings' package importable from the child too
        root = str(Path(spec.origin).parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def run_restore(
    source: Path,
    target_url: str,
    sandbox: Path,
    *,
    keys_file: Path | None = None,
    say: Say = _quiet,
) -> tuple[int, str]:
    """`minzheng restore --from SOURCE` against the database `target_url`, its media and audit
    checkpoints in `sandbox`: (exit code, everything it printed)."""
    command = [sys.executable, "-m", "minzheng.cli", "restore", "--from", str(source)]
    command += ["--sandbox", str(sandbox)] + (["--keys", str(keys_file)] if keys_file else [])
    process = subprocess.Popen(  # noqa: S603 (this interpreter, our own command)
        command,
        env=_environment(target_url, sandbox),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in process.stdout or ():
        lines.append(line)
        say(f"  │ {line.rstrip()}")
    return process.wait(), "".join(lines)
