"""Writing a generated payroll: lines and findings upserted in chunks (kit.bulk), so that a
regeneration updates the same rows (their ids, and the resolutions already made, survive) and
removes only what is no longer owed. Every write is conditioned on the payroll being a draft;
the trigger of migration 0002 refuses line changes on a released payroll in PostgreSQL."""

import polars as pl
from django.db import connection

from minzheng.kit.bulk import read_frame, upsert_rows
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


def write_lines(payroll: Payroll, lines: pl.DataFrame, generation: int) -> int:
    """Upsert the lines; a line of the same program, month and payee on another payroll is
    left alone (the caller has set those payees aside)."""
    frame = lines.rename({"region_code": "region_id", "account_token": "bank_account"})
    frame = frame.with_columns(
        pl.lit(payroll.pk).alias("payroll_id"),
        pl.lit(payroll.program).alias("program"),
        pl.lit(payroll.period).alias("period"),
        pl.col("bank_name").fill_null(""),
        pl.col("bank_account").fill_null(""),
        pl.lit(False).alias("held"),
        pl.lit(False).alias("settled"),
        pl.lit(Line.Status.DUE).alias("status"),
        pl.lit(1).alias("attempt"),
        pl.lit("").alias("returned_reason"),
        pl.lit(generation).alias("generation"),
        pl.lit(1).alias("version"),
    )
    columns = ["payroll_id", "program", "period", "beneficiary_id", *FROM_LEDGER]
    columns += ["held", "settled", "status", "attempt", "returned_reason", "generation", "version"]
    written = upsert_rows(
        LINE_TABLE,
        columns,
        frame.select(columns).iter_rows(),
        conflict=["program", "period", "beneficiary_id"],
        update=[*FROM_LEDGER, "generation", f"version = {LINE_TABLE}.version + 1"],
        only_if=f"{LINE_TABLE}.payroll_id = excluded.payroll_id",
    )
    _execute(
        f"UPDATE {RECOVERY_TABLE} SET line_id = NULL WHERE line_id IN (SELECT id FROM "  # noqa: S608 - table names from model metadata
        f"{LINE_TABLE} WHERE payroll_id = %s AND generation < %s)",
        [payroll.pk, generation],
    )
    _execute(
        f"DELETE FROM {FLAG_TABLE} WHERE line_id IN (SELECT id FROM {LINE_TABLE} "  # noqa: S608 - table names from model metadata
        "WHERE payroll_id = %s AND generation < %s)",
        [payroll.pk, generation],
    )
    _execute(
        f"DELETE FROM {LINE_TABLE} WHERE payroll_id = %s AND generation < %s",  # noqa: S608 - table names from model metadata
        [payroll.pk, generation],
    )
    return written


def write_flags(payroll: Payroll, flags: pl.DataFrame, generation: int) -> None:
    """Upsert the findings: one whose detail is unchanged keeps its resolution; a changed one
    opens again; one no longer found is removed."""
    ids = read_frame(
        f"SELECT beneficiary_id, id FROM {LINE_TABLE} WHERE payroll_id = %s",  # noqa: S608
        [payroll.pk],
        {"beneficiary_id": pl.Int64, "line_id": pl.Int64},
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
    _execute(
        f"DELETE FROM {FLAG_TABLE} WHERE generation < %s AND line_id IN "  # noqa: S608 - table names from model metadata
        f"(SELECT id FROM {LINE_TABLE} WHERE payroll_id = %s)",
        [generation, payroll.pk],
    )


def refresh_held(payroll: Payroll) -> None:
    """A line is held while one of its findings is resolved to hold it."""
    holding = (
        f"EXISTS (SELECT 1 FROM {FLAG_TABLE} f WHERE f.line_id = {LINE_TABLE}.id "  # noqa: S608 - table names from model metadata
        "AND f.resolution IN (%s, %s))"
    )
    _execute(
        f"UPDATE {LINE_TABLE} SET held = {holding} "  # noqa: S608 - table names from model metadata
        f"WHERE payroll_id = %s AND (held = %s OR {holding})",
        [*HOLDING, payroll.pk, True, *HOLDING],
    )


def refresh_totals(payroll: Payroll) -> dict:
    """The payroll's counts and sums, from its lines and findings."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(amount_fen), 0), "  # noqa: S608
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
