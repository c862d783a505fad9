"""A department file validated on Spark: the same checks and the same quarantine report as
`monitoring.reading.read_feed`.

The driver reads the file as text (reading.load_raw: CSV in UTF-8 or GBK, XLSX, Parquet) and
refuses it whole for the same reasons; Spark then parses every row where it lies
(reading.parse_rows), shuffles the rows by their typed key so that each key's rows meet, and
marks duplicates there (reading.mark_duplicates). Bad rows come back to the driver for the
report (they are few); valid rows stay a Spark DataFrame for the next step, or are collected.
"""

import tempfile
from dataclasses import dataclass
from datetime import date

import polars as pl
import pyarrow as pa

from minzheng.distributed import packing
from minzheng.monitoring import reading
from minzheng.monitoring.feeds import Feed
from minzheng.monitoring.reading import ROW, Read


@dataclass(frozen=True)
class _Rows:
    """A Spark task: a function of a partition's rows (parse or mark duplicates)."""

    feed: Feed
    today: date
    step: str  # "parse" or "duplicates"
    schema: pa.Schema

    def __call__(self, batches):
        batches = list(batches)
        if not batches:
            return
        rows = pl.from_arrow(pa.Table.from_batches(batches))
        yield from packing.to_arrow(_step(self, rows), self.schema).to_batches()


def _step(task: _Rows, rows: pl.DataFrame) -> pl.DataFrame:
    if task.step == "parse":
        return reading.parse_rows(task.feed, rows, task.today)
    return reading.mark_duplicates(task.feed, rows)


def read_feed(spark, feed: Feed, filename: str, content: bytes, today: date, partitions: int):
    """Read: valid rows (collected, in file order), problems and the row count."""
    raw = reading.load_raw(feed, filename, content)
    reading.check_file(feed, raw.columns, raw.height)
    with tempfile.TemporaryDirectory(prefix="minzheng-feed-") as work:
        raw.write_parquet(f"{work}/raw.parquet")
        checked = _checked(spark, feed, f"{work}/raw.parquet", raw, today, partitions)
        fine = _all_null(reading.reasons(feed))
        bad = pl.from_arrow(checked.where(~fine).toArrow())
        valid = checked.where(fine).select(ROW, *(c.code for c in feed.columns))
        frame = pl.from_arrow(valid.toArrow()).sort(ROW)
    return Read(
        frame=frame, problems=reading.problems_of(feed, bad.sort(ROW)), rows_total=raw.height
    )


def _checked(spark, feed: Feed, path: str, raw: pl.DataFrame, today: date, partitions: int):
    parsed_example = reading.parse_rows(feed, raw.head(0), today)
    checked_example = reading.mark_duplicates(feed, parsed_example)
    parsed = _map(spark.read.parquet(path), _Rows(feed, today, "parse", _schema(parsed_example)))
    keyed = parsed.repartition(partitions, *feed.key)
    return _map(keyed, _Rows(feed, today, "duplicates", _schema(checked_example)))


def _map(frame, task: _Rows):
    return frame.mapInArrow(task, packing.spark_schema(task.schema))


def _schema(example: pl.DataFrame) -> pa.Schema:
    return packing.plain(example.to_arrow(compat_level=pl.CompatLevel.oldest()).schema)


def _all_null(columns: list[str]):
    from pyspark.sql import functions as F

    condition = F.lit(True)
    for name in columns:
        condition = condition & F.col(name).isNull()
    return condition
