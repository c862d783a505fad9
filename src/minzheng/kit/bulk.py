"""Bulk reads and writes for batch jobs and generators: plain SQL in chunks, no model instances.

The ORM's bulk_create builds one Python object per row; at millions of rows that is most of
the time. Callers pass tuples in column order; the caller owns the transaction. Reads come
back as Polars frames of the given schema.
"""

from collections.abc import Iterable, Sequence

import polars as pl
from django.db import connection

READ_CHUNK = 200_000
IDS_CHUNK = 5_000  # ids bound per query (SQLite allows 32,766 variables)


def insert_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence], *, chunk: int = 5000
) -> int:
    return _write(_insert_sql(table, columns), rows, chunk)


def upsert_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
    only_if: str = "",
    chunk: int = 5000,
) -> int:
    """INSERT … ON CONFLICT (conflict) DO UPDATE SET each `update` column to the new value
    (SQLite ≥ 3.24 and PostgreSQL share the syntax). `only_if` is an SQL condition on the
    existing row (the table's name) and the new one (`excluded`); rows failing it stay as they
    were. An `update` entry "col = expression" sets an expression instead."""
    quote = connection.ops.quote_name
    sets = ", ".join(u if "=" in u else f"{quote(u)} = excluded.{quote(u)}" for u in update)
    keys = ", ".join(quote(c) for c in conflict)
    sql = f"{_insert_sql(table, columns)} ON CONFLICT ({keys}) DO UPDATE SET {sets}"
    if only_if:
        sql += f" WHERE {only_if}"
    return _write(sql, rows, chunk)


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    # Table and column names come from model metadata, never from input; values are bound.
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608


def _write(sql: str, rows: Iterable[Sequence], chunk: int) -> int:
    total, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                total, batch = total + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def next_id(table: str) -> int:
    """The first free primary key, for callers that assign ids themselves in bulk."""
    with connection.cursor() as cursor:
        table_sql = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table_sql}")  # noqa: S608
        return int(cursor.fetchone()[0])


def reset_sequences(*models) -> None:
    """After explicit ids, move PostgreSQL's sequences past them (a no-op on SQLite)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def read_frame(sql: str, params: Sequence, schema: dict) -> pl.DataFrame:
    """The rows of one query as a frame of `schema` (column names and types, in order)."""
    frames = []
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        while rows := cursor.fetchmany(READ_CHUNK):
            # Django's backends already convert dates and booleans (SQLite included).
            frames.append(pl.DataFrame(rows, schema=schema, orient="row"))
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def read_by_ids(sql: str, ids: Sequence[int], schema: dict, params: Sequence = ()) -> pl.DataFrame:
    """`sql` run for chunks of `ids`: it holds one `{ids}` placeholder for the bound list and
    takes `params` before it."""
    frames = [pl.DataFrame(schema=schema)]
    for start in range(0, len(ids), IDS_CHUNK):
        part = list(ids[start : start + IDS_CHUNK])
        marks = ", ".join(["%s"] * len(part))
        frames.append(read_frame(sql.format(ids=marks), [*params, *part], schema))
    return pl.concat(frames)
