"""低收入人口动态监测's indicators on Spark: the same evaluation and `detect_all` as the local
run (monitoring/runs.py), one partition of whole households at a time.

Every indicator looks at one person or one household (a member's facts, the household's
income against its line, its declared assets), so a partition holds everything it needs: the
households' registry rows and the indicators' sources — the period's facts, who receives aid,
the live cases' dates, the declared assets — each tagged by Spark with its person's household.
The facts arrive as stored (JSON values) and are typed per feed by `inputs.by_feed`, in their
stored order, so that "the first fact of a person" is the same one.
"""

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa

from minzheng.batch.spark import jdbc, packing
from minzheng.monitoring.indicators import detect_all
from minzheng.monitoring.inputs import (
    ASSETS_SCHEMA,
    CASES_SCHEMA,
    Sources,
    by_feed,
    compose,
    fact_rows,
    sources,
)
from minzheng.registry.snapshot import SCHEMAS
from minzheng.rules.assessment import Frames
from minzheng.rules.evaluate import evaluate

HOUSEHOLD = {"household_id": pl.Int64}
SOURCE_SCHEMAS = {
    "facts": HOUSEHOLD
    | {"seq": pl.Int64, "person_id": pl.Int64, "feed": pl.Utf8, "source": pl.Utf8}
    | {"values": pl.Utf8},
    "recipients": HOUSEHOLD | {"person_id": pl.Int64, "program": pl.Utf8},
    "cases": HOUSEHOLD | CASES_SCHEMA,
    "declared_assets": ASSETS_SCHEMA,
}
FOUND_SCHEMA = {
    "indicator": pl.Utf8,
    "severity": pl.Utf8,
    "person_id": pl.Int64,
    "household_id": pl.Int64,
    "region_code": pl.Utf8,
    "detail": pl.Utf8,
}
REGISTRY = ("households", "persons", "incomes", "assets", "supporters")


def detect(packed: pl.DataFrame, period: str, threshold_fen: int, as_of: date, tree: dict):
    """One partition's flagged persons: the local run's `detect_all` on exactly these
    households."""
    tables = packing.unpack_tables(packed, SCHEMAS | SOURCE_SCHEMAS)
    facts = tables["facts"].sort("seq").select("seq", "person_id", "feed", "source", "values")
    partition = Sources(
        period,
        by_feed(facts.iter_rows()),
        tables["recipients"].drop("household_id"),
        tables["cases"].drop("household_id"),
        tables["declared_assets"],
        threshold_fen,
    )
    evaluation = evaluate(Frames(*(tables[name] for name in REGISTRY)), as_of, tree)
    return detect_all(compose(partition, evaluation)).cast(FOUND_SCHEMA)


@dataclass(frozen=True)
class _Partition:
    """What each Spark task runs (pickled to the executors with the parameter tree)."""

    period: str
    threshold_fen: int
    as_of: date
    tree: dict
    schema: pa.Schema

    def __call__(self, batches):
        if (packed := packing.partition_frame(batches)) is not None:
            flagged = detect(packed, self.period, self.threshold_fen, self.as_of, self.tree)
            yield from packing.to_arrow(flagged, self.schema).to_batches()


def run(spark, region_code: str, period: str, as_of: date, tree: dict, partitions: int):
    """The indicators' findings for the region and period, as the local `detect_all` gives
    them (sorted). The registry and the facts are read by Spark over JDBC when it is on, else
    from files the driver writes; who receives aid, the cases and the declared assets (a few
    rows per recipient) always come from the driver."""
    found = sources(region_code, period, facts=False)
    with tempfile.TemporaryDirectory(prefix="minzheng-spark-") as work:
        registry = jdbc.registry(spark, region_code, work, partitions)
        extra = _sources(spark, registry, found, region_code, Path(work), partitions)
        packed = packing.pack(spark, registry | extra, partitions)
        schema = packing.plain(pl.DataFrame(schema=FOUND_SCHEMA).to_arrow().schema)
        task = _Partition(period, found.medical_threshold_fen, as_of, tree, schema)
        out = Path(work) / "found"
        packed.mapInArrow(task, packing.spark_schema(schema)).write.parquet(str(out))
        parts = list(out.glob("*.parquet"))
        flagged = pl.read_parquet(parts) if parts else pl.DataFrame(schema=FOUND_SCHEMA)
    return flagged.cast(FOUND_SCHEMA).sort("indicator", "person_id")


def _sources(spark, registry: dict, found: Sources, region_code: str, work: Path, parts: int):
    """The indicators' sources as Spark DataFrames with each row's household."""
    persons = _spark_frame(spark, registry["persons"]).select("person_id", "household_id")
    if jdbc.enabled():
        facts = jdbc.facts(spark, region_code, found.period, parts)
    else:
        facts = _spark_frame(spark, _parquet(_fact_rows(region_code, found.period), work, "facts"))
    on_persons = {
        "facts": facts,
        "recipients": _spark_frame(spark, _parquet(found.recipients, work, "recipients")),
        "cases": _spark_frame(spark, _parquet(found.cases, work, "cases")),
    }
    tagged = {name: frame.join(persons, "person_id") for name, frame in on_persons.items()}
    declared = _spark_frame(spark, _parquet(found.assets, work, "declared_assets"))
    return tagged | {"declared_assets": declared}


def _fact_rows(region_code: str, period: str) -> pl.DataFrame:
    schema = dict(SOURCE_SCHEMAS["facts"])
    del schema["household_id"]
    return pl.DataFrame(fact_rows(region_code, period), schema=schema, orient="row")


def _parquet(frame: pl.DataFrame, work: Path, name: str) -> str:
    path = str(work / f"{name}.parquet")
    frame.write_parquet(path)
    return path


def _spark_frame(spark, source):
    return spark.read.parquet(source) if isinstance(source, str) else source
