"""The database's part of a backup: a consistent dump with the row count of every table, its
restore, and the checks around it (an empty target before, the counts after).

PostgreSQL: `pg_dump -Fc` reads the snapshot exported by a REPEATABLE READ transaction that also
counts the rows and reads the audit chain's last event, so the counts describe the dump exactly
however busy the site; `pg_restore` writes it back in one transaction (all or nothing).
SQLite: the online backup API, inside the transaction that counts; restored the same way."""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.apps import apps
from django.db import connections, transaction

from minzheng.audit.models import AuditEvent
from minzheng.audit.services import GENESIS
from minzheng.backups.errors import Error

DUMP_FILE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# every table of the database (in the schemas Django sees), without SQLite's own
_TABLES = {
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = ANY (current_schemas(false))",
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' "
    "AND name NOT LIKE 'sqlite!_%' ESCAPE '!'",
}
# the connection settings that pg_dump and pg_restore take as libpq keywords
_LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "connect_timeout",
    "options",
    "application_name",
    "target_session_attrs",
    "gssencmode",
    "passfile",
    "service",
}


@dataclass(frozen=True)
class Snapshot:
    """What the dump holds: each table's rows and the audit chain's last event."""

    tables: dict[str, int]
    audit_seq: int
    audit_hash: str
    tool: str


def engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DUMP_FILE:
        raise Error.UNSUPPORTED_ENGINE.error(engine=vendor)
    return vendor


def table_names(using: str) -> list[str]:
    with connections[using].cursor() as cursor:
        return _table_names(cursor, connections[using].vendor)


def _table_names(cursor, vendor: str) -> list[str]:
    cursor.execute(_TABLES[vendor])
    return sorted(row[0] for row in cursor.fetchall())


def _row_counts(cursor, vendor: str, quote_name: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for name in _table_names(cursor, vendor):
        # a name read from the catalogue, quoted: no value of anyone's enters the statement
        cursor.execute(f"SELECT COUNT(*) FROM {quote_name(name)}")  # noqa: S608
        counts[name] = cursor.fetchone()[0]
    return counts


def row_counts(using: str) -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        return _row_counts(cursor, connection.vendor, connection.ops.quote_name)


def audit_last(using: str) -> tuple[int, str]:
    last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS)


def project_tables() -> set[str]:
    """The tables of the project's own apps (Django's bookkeeping apps aside)."""
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.app_config.name.startswith("django.")
    }


def filled_tables(using: str) -> list[str]:
    """The project's tables that hold a row: a restore refuses any."""
    connection = connections[using]
    with connection.cursor() as cursor:
        present = set(_table_names(cursor, connection.vendor)) & project_tables()
        filled = []
        for name in sorted(present):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                filled.append(name)
    return filled


def dump(path: Path, using: str) -> Snapshot:
    """Write the database to `path` and count what was written, in one transaction."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise RuntimeError("a backup runs outside any transaction (its snapshot is its own)")
    connection.ensure_connection()
    with _snapshot(connection) as (cursor, exported):
        counts = _row_counts(cursor, connection.vendor, connection.ops.quote_name)
        seq, digest = audit_last(using)
        if exported is not None:
            tool = _pg_dump(connection.settings_dict, path, exported)
        else:
            tool = _sqlite_copy(connection.connection, path)
    return Snapshot(tables=counts, audit_seq=seq, audit_hash=digest, tool=tool)


@contextmanager
def _snapshot(connection) -> Iterator[tuple[Any, str | None]]:
    """A read transaction whose view the dump shares: on PostgreSQL a REPEATABLE READ one whose
    snapshot pg_dump takes up (its id given); on SQLite a deferred one on the connection the
    online backup reads through (a write transaction would lock that backup out)."""
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor, cursor.fetchone()[0]
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            yield cursor, None
        finally:
            cursor.execute("ROLLBACK")


def restore(path: Path, using: str) -> None:
    """Write the dump into the (empty) database `using`."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        conninfo, env = libpq(connection.settings_dict)
        _run(
            "pg_restore",
            ["--dbname", conninfo, "--no-owner", "--no-privileges", "--clean", "--if-exists"]
            + ["--single-transaction", "--exit-on-error", str(path)],
            env,
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise Error.TOOL_FAILED.error(tool="SQLite", reason=exc) from None
    finally:
        source.close()


def _sqlite_copy(source: sqlite3.Connection, path: Path) -> str:
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise Error.TOOL_FAILED.error(tool="SQLite", reason=exc) from None
    finally:
        target.close()
    return f"SQLite {sqlite3.sqlite_version}（在线备份接口）"


def _pg_dump(settings_dict: dict, path: Path, exported: str) -> str:
    conninfo, env = libpq(settings_dict)
    args = ["--format=custom", f"--snapshot={exported}", "--file", str(path)]
    _run("pg_dump", args, env, conninfo)
    return _run("pg_dump", ["--version"], env).strip()


def libpq(settings_dict: dict, name: str | None = None) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the PostgreSQL tools, and their environment (the password
    goes there, never on a command line other users can see)."""
    from psycopg.conninfo import make_conninfo

    options = settings_dict.get("OPTIONS") or {}
    params = {
        "dbname": name or settings_dict["NAME"],
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
        "user": settings_dict.get("USER"),
        **{key: options[key] for key in _LIBPQ_OPTIONS if key in options},
    }
    conninfo = make_conninfo("", **{k: str(v) for k, v in params.items() if v not in (None, "")})
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return conninfo, env


def url(settings_dict: dict, name: str) -> str:
    """A DATABASE_URL for the same server and account, naming another database."""
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = settings_dict.get("PASSWORD")
    userinfo = f"{user}:{quote(str(password), safe='')}" if password else user
    host = quote(str(settings_dict.get("HOST") or ""), safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    options = settings_dict.get("OPTIONS") or {}
    query = urlencode({k: options[k] for k in sorted(_LIBPQ_OPTIONS) if k in options})
    at = "@" if userinfo else ""
    return f"postgres://{userinfo}{at}{host}{port}/{quote(name, safe='')}" + (
        f"?{query}" if query else ""
    )


def _run(tool: str, args: list[str], env: dict[str, str], conninfo: str | None = None) -> str:
    program = shutil.which(tool)
    if program is None:
        raise Error.TOOL_MISSING.error(tool=tool)
    command = [program, *args] + (["--dbname", conninfo] if conninfo else [])
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        reason = " ".join(done.stderr.strip().splitlines()[-3:]) or f"退出码 {done.returncode}"
        raise Error.TOOL_FAILED.error(tool=tool, reason=reason)
    return done.stdout
