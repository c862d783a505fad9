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

from minzheng.batch.spark import packing
from minzheng.kit.sheets import ROW
from minzheng.monitoring import reading
from minzheng.monitoring.feeds import Feed
from minzheng.monitoring.reading import Read


@dataclass(frozen=True)
class _Rows:
    """A Spark task: a function of a partition's rows (parse or mark duplicates)."""

    feed: Feed
    today: date
    step: str  # "parse" or "duplicates"
    schema: pa.Schema

    def __call__(self, batches):
        if (rows := packing.partition_frame(batches)) is not None:
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


OUTCOMES = ("matched", "supporters", "review", "unmatched")


def match(spark, rows: pl.DataFrame, persons: pl.DataFrame, supporters, partitions: int):
    """matching.match on Spark: each row's blind index computed where the row lies (the key
    is the executors' own setting, never shipped in a task), the registry joined by Spark,
    and each partition's rows sorted into matched, supporters, review and unmatched by the
    local code. The same Matched as matching.match(rows, persons, key, supporters)."""
    from minzheng.monitoring import matching

    supporters = supporters if supporters is not None else _NO_SUPPORTERS
    examples = _outcome_examples(rows, supporters)
    with tempfile.TemporaryDirectory(prefix="minzheng-match-") as work:
        rows.write_parquet(f"{work}/rows.parquet")
        persons.write_parquet(f"{work}/persons.parquet")
        joined = _joined(spark, f"{work}/rows.parquet", f"{work}/persons.parquet", rows, partitions)
        union = pl.concat(
            [f.with_columns(pl.lit(n).alias("_outcome")) for n, f in examples.items()],
            how="diagonal",
        )
        task = _Classify(supporters, _schema(union))
        found = pl.from_arrow(joined.mapInArrow(task, packing.spark_schema(task.schema)).toArrow())
    parts = found.partition_by("_outcome", as_dict=True, include_key=False)
    return matching.Matched(
        **{
            name: parts.get((name,), example.clear())
            .select(example.columns)
            .cast(example.schema)
            .sort(ROW)
            for name, example in examples.items()
        }
    )


_NO_SUPPORTERS = pl.DataFrame(schema={"supporter_id": pl.Int64, "id_number_index": pl.Utf8})


def _outcome_examples(rows: pl.DataFrame, supporters: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The four empty frames local matching gives, for their columns and types."""
    from minzheng.monitoring import matching

    empty = rows.head(0).with_columns(
        pl.lit(None, pl.Utf8).alias("_index"),
        pl.lit(None, pl.Int64).alias("person_id"),
        pl.lit(None, pl.Utf8).alias("_rname"),
    )
    found = matching._matched(empty, supporters)
    return {name: getattr(found, name) for name in OUTCOMES}


def _joined(spark, rows_path: str, persons_path: str, rows: pl.DataFrame, partitions: int):
    example = rows.head(0).with_columns(pl.lit(None, pl.Utf8).alias("_index"))
    indexed = spark.read.parquet(rows_path).mapInArrow(
        _Index(_schema(example)), packing.spark_schema(_schema(example))
    )
    registry = spark.read.parquet(persons_path).selectExpr(
        "person_id", "id_number_index AS _index", "name AS _rname"
    )
    joined = indexed.repartition(partitions, "_index").join(registry, on="_index", how="left")
    return joined.select(*rows.columns, "_index", "person_id", "_rname")


@dataclass(frozen=True)
class _Index:
    schema: pa.Schema

    def __call__(self, batches):
        from django.conf import settings

        from minzheng.monitoring.matching import keyed_index

        for batch in batches:
            rows = pl.from_arrow(pa.Table.from_batches([batch]))
            index = keyed_index(pl.col("id_number"), settings.BLIND_INDEX_KEY)
            yield from packing.to_arrow(
                rows.with_columns(index.alias("_index")), self.schema
            ).to_batches()


@dataclass(frozen=True)
class _Classify:
    supporters: pl.DataFrame
    schema: pa.Schema

    def __call__(self, batches):
        from minzheng.monitoring import matching

        if (joined := packing.partition_frame(batches)) is None:
            return
        found = matching._matched(joined, self.supporters)
        tagged = [getattr(found, n).with_columns(pl.lit(n).alias("_outcome")) for n in OUTCOMES]
        union = pl.concat(tagged, how="diagonal_relaxed")
        columns = [f.name for f in self.schema]
        yield from packing.to_arrow(union.select(columns), self.schema).to_batches()
