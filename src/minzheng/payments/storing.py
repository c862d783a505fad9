"""Writing a generated payroll: lines and findings upserted in chunks (kit.bulk), so that a
regeneration updates the same rows (their ids, and the resolutions already made, survive) and
removes only what is no longer owed. The caller holds the draft payroll's row lock; the
triggers of migration 0002 refuse line changes on a released payroll.

Table names come from model metadata, never from input; values are bound."""

from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
from django.db import connection

from minzheng.kit.bulk import read_by_ids, upsert_rows
from minzheng.payments.models import Flag, Line, Payroll, Recovery

LINE_TABLE = Line._meta.db_table
FLAG_TABLE = Flag._meta.db_table
RECOVERY_TABLE = Recovery._meta.db_table
FROM_LEDGER = [
    "case_id",
    "household_id",
    "region_id",
    "monthly_fen",
    "months",
    "first_month",
    "regular_fen",
    "back_pay_fen",
    "adjustment_fen",
    "care_fen",
    "amount_fen",
    "overpaid_fen",
    "tapering",
    "bank_name",
    "bank_account",
]
HOLDING = (Flag.Resolution.HOLD, Flag.Resolution.RECOVER)
OFF_BANK = (Flag.Resolution.CASH, Flag.Resolution.OTHER)  # resolutions that are channels
SQLITE_CACHE_KIB = 256 * 1024  # a county's line indexes stay in SQLite's page cache
STALE = f"SELECT id FROM {LINE_TABLE} WHERE payroll_id = %s AND generation < %s"  # noqa: S608


@contextmanager
def page_cache() -> Iterator[None]:
    """SQLite's default page cache is 2 MiB: a million lines' index inserts would miss it at
    every row. Enlarged for the writes, then restored (PostgreSQL sizes its own buffers)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def write_lines(payroll: Payroll, lines: pl.DataFrame, generation: int) -> int:
    """Upsert the lines; a line of the same program, month and payee on another payroll is
    left alone (the caller has set those payees aside)."""
    frame = lines.rename({"region_code": "region_id", "account_token": "bank_account"})
    frame = frame.with_columns(
        pl.lit(payroll.pk).alias("payroll_id"),
        pl.lit(payroll.program).alias("program"),
        pl.lit(payroll.period.isoformat()).alias("period"),  # ISO text binds faster than dates
        pl.col("first_month").dt.to_string("%Y-%m-%d"),
        pl.col("bank_name").fill_null(""),
        pl.col("bank_account").fill_null(""),
        pl.lit(generation).alias("generation"),
    )
    # held, settled, status, attempt, returned_reason, version: the database defaults
    columns = ["payroll_id", "program", "period", "beneficiary_id", *FROM_LEDGER, "generation"]
    written = upsert_rows(
        LINE_TABLE,
        columns,
        frame.select(columns).iter_rows(),
        conflict=["program", "period", "beneficiary_id"],
        update=[*FROM_LEDGER, "generation", f"version = {LINE_TABLE}.version + 1"],
        only_if=f"{LINE_TABLE}.payroll_id = excluded.payroll_id",
    )
    if generation > 1:  # a regeneration: remove the lines no longer owed
        stale = [payroll.pk, generation]
        _execute(f"UPDATE {RECOVERY_TABLE} SET line_id = NULL WHERE line_id IN ({STALE})", stale)  # noqa: S608
        _execute(f"DELETE FROM {FLAG_TABLE} WHERE line_id IN ({STALE})", stale)  # noqa: S608
        _execute(f"DELETE FROM {LINE_TABLE} WHERE id IN ({STALE})", stale)  # noqa: S608
    return written


def write_flags(payroll: Payroll, flags: pl.DataFrame, generation: int) -> None:
    """Upsert the findings: one whose detail is unchanged keeps its resolution; a changed one
    opens again; one no longer found is removed."""
    ids = read_by_ids(
        f"SELECT beneficiary_id, id FROM {LINE_TABLE} "  # noqa: S608
        "WHERE payroll_id = %s AND beneficiary_id IN ({ids})",
        flags["beneficiary_id"].unique().sort().to_list(),
        {"beneficiary_id": pl.Int64, "line_id": pl.Int64},
        params=[payroll.pk],
    )
    frame = flags.join(ids, on="beneficiary_id").with_columns(
        pl.lit(Flag.OPEN).alias("status"),
        pl.lit("").alias("resolution"),
        pl.lit("").alias("note"),
        pl.lit(generation).alias("generation"),
    )
    columns = ["line_id", "code", "detail", "status", "resolution", "note", "generation"]
    same = f"{FLAG_TABLE}.detail = excluded.detail"
    upsert_rows(
        FLAG_TABLE,
        columns,
        frame.select(columns).iter_rows(),
        conflict=["line_id", "code"],
        update=[
            "detail",
            "generation",
            f"status = CASE WHEN {same} THEN {FLAG_TABLE}.status ELSE 'open' END",
            f"resolution = CASE WHEN {same} THEN {FLAG_TABLE}.resolution ELSE '' END",
            f"resolved_by_id = CASE WHEN {same} THEN {FLAG_TABLE}.resolved_by_id END",
            f"resolved_at = CASE WHEN {same} THEN {FLAG_TABLE}.resolved_at END",
        ],
    )
    if generation > 1:
        _execute(
            f"DELETE FROM {FLAG_TABLE} WHERE generation < %s AND line_id IN "  # noqa: S608
            f"(SELECT id FROM {LINE_TABLE} WHERE payroll_id = %s)",
            [generation, payroll.pk],
        )


def refresh_held(payroll: Payroll) -> None:
    """A line is held while one of its findings is resolved to hold it: only the lines held
    now or with such a resolution are looked at."""
    holding = f"SELECT line_id FROM {FLAG_TABLE} WHERE resolution IN (%s, %s)"  # noqa: S608
    _execute(
        f"UPDATE {LINE_TABLE} SET held = (id IN ({holding})) "  # noqa: S608
        f"WHERE payroll_id = %s AND (held = %s OR id IN ({holding}))",
        [*HOLDING, payroll.pk, True, *HOLDING],
    )


def refresh_channel(payroll: Payroll) -> None:
    """A line is paid by cash or another channel while its bank-account finding is resolved so,
    by the bank otherwise (a finding reopened or gone sends it back to the bank's checks).
    Only the lines off the bank now or with such a resolution are looked at."""
    off_bank = f"SELECT line_id FROM {FLAG_TABLE} WHERE resolution IN (%s, %s)"  # noqa: S608
    chosen = (
        f"SELECT MIN(resolution) FROM {FLAG_TABLE} "  # noqa: S608
        f"WHERE line_id = {LINE_TABLE}.id AND resolution IN (%s, %s)"
    )
    _execute(
        f"UPDATE {LINE_TABLE} SET channel = COALESCE(({chosen}), %s) "  # noqa: S608
        f"WHERE payroll_id = %s AND (channel <> %s OR id IN ({off_bank}))",
        [*OFF_BANK, Line.Channel.BANK, payroll.pk, Line.Channel.BANK, *OFF_BANK],
    )


def refresh_totals(payroll: Payroll) -> dict:
    """The payroll's counts and sums, from its lines and findings."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(amount_fen), 0), "  # noqa: S608
            "COALESCE(SUM(CASE WHEN held = %s THEN 1 ELSE 0 END), 0), "
            "COALESCE(SUM(CASE WHEN held = %s THEN amount_fen ELSE 0 END), 0) "
            f"FROM {LINE_TABLE} WHERE payroll_id = %s",
            [True, True, payroll.pk],
        )
        lines, total, held, held_fen = cursor.fetchone()
    open_flags = Flag.objects.filter(line__payroll=payroll, status=Flag.OPEN).count()
    totals = {
        "line_count": lines,
        "total_fen": total,
        "held_count": held,
        "held_fen": held_fen,
        "open_flags": open_flags,
    }
    Payroll.objects.filter(pk=payroll.pk).update(**totals)
    return totals


def _execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
