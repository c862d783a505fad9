"""政策找人 screening on Spark: the same evaluation and summary as the local runner
(`rules.screening.screen_region`), with Spark grouping a region's households into partitions.

Each partition reaches Python as Arrow record batches of whole households (packing.py); it
is unpacked into Frames and goes through `evaluate` and `household_summary` unchanged, so the
two runners cannot disagree on a rule. The result comes back as Parquet, sorted like the local
summary.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa

from minzheng.batch.spark import packing
from minzheng.rules.assessment import Frames
from minzheng.rules.evaluate import evaluate
from minzheng.rules.explain import household_summary


def summarise(packed: pl.DataFrame, as_of: date, tree: dict) -> pl.DataFrame:
    """One partition's households: the local runner's summary of exactly these households."""
    return household_summary(evaluate(packing.unpack(packed), as_of, tree))


@dataclass(frozen=True)
class _Partition:
    """What each Spark task runs (pickled to the executors with the parameter tree)."""

    as_of: date
    tree: dict
    schema: pa.Schema

    def __call__(self, batches):
        if (packed := packing.partition_frame(batches)) is not None:
            summary = summarise(packed, self.as_of, self.tree)
            yield from packing.to_arrow(summary, self.schema).to_batches()


def screen(spark, sources: dict, as_of: date, tree: dict, partitions: int):
    """The Spark DataFrame of the household summaries (None when there are no households).
    `sources`: the five registry tables, Parquet paths or Spark DataFrames (JDBC)."""
    from pyspark.sql import functions as F

    packed = packing.pack(spark, sources, partitions)
    first = _households(spark, sources).select("household_id").limit(1).collect()
    if not first:
        return None
    # The result's columns follow the programs in force: read them off one household.
    one = packed.where(F.col("household_id") == first[0]["household_id"]).toArrow()
    example = summarise(pl.from_arrow(one), as_of, tree)
    schema = packing.plain(example.to_arrow(compat_level=pl.CompatLevel.oldest()).schema)
    return packed.mapInArrow(_Partition(as_of, tree, schema), packing.spark_schema(schema))


def run(
    frames: Frames,
    as_of: date,
    tree: dict,
    progress: Callable[[str], None] = lambda message: None,
) -> pl.DataFrame:
    """The household summary of `frames` computed on Spark (settings' master)."""
    from minzheng.batch.spark.session import partitions, session

    spark = session()
    with tempfile.TemporaryDirectory(prefix="minzheng-spark-") as work:
        paths = packing.write_tables(frames, work)
        parts = partitions(spark)
        progress(f"Spark（{spark.sparkContext.master}）：{parts} 个分区")
        result = screen(spark, paths, as_of, tree, parts)
        if result is None:  # no households: the local runner gives the empty summary
            return household_summary(evaluate(frames, as_of, tree))
        out = Path(work) / "summary"
        result.write.parquet(str(out))
        return pl.read_parquet(out / "*.parquet").sort("household_id")


def run_region(spark, region_code: str, as_of: date, tree: dict, partitions: int, progress):
    """household_id, number, region_code and the household summary of the region, computed on
    Spark from the registry read over JDBC (when on) or from the driver's snapshot."""
    # The driver's own imports: executors load this module only to run _Partition.
    from minzheng.batch.local import LocalRunner
    from minzheng.batch.spark import jdbc

    with tempfile.TemporaryDirectory(prefix="minzheng-spark-") as work:
        sources = jdbc.registry(spark, region_code, work, partitions)
        source = "PostgreSQL（JDBC）" if jdbc.enabled() else "对象库快照文件"
        progress(f"Spark（{spark.sparkContext.master}）：{partitions} 个分区，读取{source}")
        result = screen(spark, sources, as_of, tree, partitions)
        if result is None:  # no households: the local runner gives the empty summary
            return LocalRunner().region_summary(region_code, as_of, tree, progress)
        numbers = _households(spark, sources).select("household_id", "number", "region_code")
        out = Path(work) / "summary"
        numbers.join(result, "household_id", "left").write.parquet(str(out))
        return pl.read_parquet(out / "*.parquet").sort("household_id")


def _households(spark, sources: dict):
    found = sources["households"]
    return spark.read.parquet(found) if isinstance(found, str) else found
