"""Households through Spark and back: the five registry tables as one, partitioned by
household, so a household's members, incomes, assets and supporters reach the same task.

Spark unions the tables (each row tagged with its table) and shuffles them by household_id
(`pack`); on the executors `unpack` splits a partition back into the rules engine's Frames, the
same frames `frames_of(snapshot)` gives the local runner. Nesting each household's rows in
lists of structs (collect_list and four joins) was three times slower on one machine.
No Django here: executors import this module with Polars and PyArrow only.
"""

import polars as pl
import pyarrow as pa

from minzheng.registry.snapshot import SCHEMAS
from minzheng.rules.assessment import Frames

CHILDREN = ("persons", "incomes", "assets", "supporters")
TABLE = "_table"  # which table a packed row comes from


def write_tables(frames: Frames, directory) -> dict[str, str]:
    """The five frames as Parquet files in `directory` (Spark reads them on every node)."""
    paths = {}
    for name in ("households", *CHILDREN):
        path = f"{directory}/{name}.parquet"
        getattr(frames, name).select(list(SCHEMAS[name])).write_parquet(path)
        paths[name] = path
    return paths


def pack(spark, sources: dict, partitions: int):
    """A Spark DataFrame of every row of the tables (columns of all, `_table` naming each
    row's), hash-partitioned by household_id into `partitions`. A source is a Parquet path or
    a Spark DataFrame (read over JDBC); the five registry tables first, then any others with a
    household_id (the indicators' sources)."""
    from pyspark.sql import functions as F

    tagged = [
        (spark.read.parquet(source) if isinstance(source, str) else source).withColumn(
            TABLE, F.lit(name)
        )
        for name, source in sources.items()
    ]
    union = tagged[0]
    for table in tagged[1:]:
        union = union.unionByName(table, allowMissingColumns=True)
    return union.repartition(partitions, "household_id")


def unpack(rows: pl.DataFrame) -> Frames:
    """A packed partition as Frames, with the snapshot's column order and types."""
    tables = unpack_tables(rows, SCHEMAS)
    return Frames(*(tables[name] for name in ("households", *CHILDREN)))


def unpack_tables(rows: pl.DataFrame, schemas: dict[str, dict]) -> dict[str, pl.DataFrame]:
    """A packed partition split into its tables, each with its schema's columns and types."""
    tables = rows.partition_by(TABLE, as_dict=True, include_key=False)

    def table(name: str) -> pl.DataFrame:
        schema = schemas[name]
        found = tables.get((name,))
        if found is None:
            return pl.DataFrame(schema=schema)
        return found.select(list(schema)).cast(schema)

    return {name: table(name) for name in schemas}


def partition_frame(batches) -> pl.DataFrame | None:
    """A Spark task's whole partition (its Arrow batches) as one frame; None when empty."""
    batches = list(batches)
    if not batches:
        return None
    frame = pl.from_arrow(pa.Table.from_batches(batches))
    return None if frame.is_empty() else frame


def to_arrow(frame: pl.DataFrame, schema: pa.Schema) -> pa.Table:
    """A result frame as the Arrow table Spark expects (plain strings, not Polars' views)."""
    return frame.to_arrow(compat_level=pl.CompatLevel.oldest()).cast(schema)


def spark_schema(schema: pa.Schema):
    """The Spark schema of an Arrow schema (large strings read as strings)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(plain(schema))


def plain(schema: pa.Schema) -> pa.Schema:
    fields = [
        field.with_type(pa.string()) if pa.types.is_large_string(field.type) else field
        for field in schema
    ]
    return pa.schema(fields)
