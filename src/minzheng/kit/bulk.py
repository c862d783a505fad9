"""Bulk writes for batch jobs and generators: plain INSERTs in chunks, no model instances.

The ORM's bulk_create builds one Python object per row; at millions of rows that is most of
the time. Callers pass tuples in column order; the caller owns the transaction.
"""

from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence], *, chunk: int = 5000
) -> int:
    quote = connection.ops.quote_name
    # Table and column names come from model metadata, never from input; values are bound.
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
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
