"""Benchmark: the Spark runner (local mode) against the local Polars runner on the same
1 million registry persons — 政策找人 screening, evaluation and household summary — and the
sizing model for a cluster.

    .venv/bin/python bench/spark/run.py [--persons 1000000] [--workdir DIR] [--repeat 3]

The registry comes from bench/monitoring/data.py (generated into WORKDIR when missing) with one
urban and one rural 低保 standard per county. Both runners are timed from the registry frames to
the summary in memory (Spark: from its Parquet input, which `write_tables` writes beforehand,
timed apart); the two summaries must be equal, row for row. Prints the figures and writes them
to bench/results/spark.json.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "monitoring"))
RESULTS = HERE.parent / "results" / "spark.json"
NATION = 66_000_000  # the low-income population monitored nationally (POLICY_NOTES §2)
PARTITION_PERSONS = 200_000  # a partition's persons on a cluster: ~10 s of one core


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sparkbench")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings")
    os.environ.setdefault("MINZHENG_VAR_DIR", str(args.workdir / "var"))
    import django

    django.setup()
    frames, tree, as_of = _registry(args.workdir, args.persons)
    polars_seconds, expected = _polars(frames, tree, as_of, args.repeat)
    spark = _spark(frames, tree, as_of, args.repeat, args.workdir, expected)
    persons = frames.persons.height
    figures = {
        "machine": f"{os.cpu_count()} cores",
        "persons": persons,
        "households": frames.households.height,
        "polars_seconds": polars_seconds,
        "polars_persons_per_second": round(persons / polars_seconds),
        **spark,
        "spark_persons_per_second": round(persons / spark["spark_seconds"]),
        "spark_vs_polars": round(polars_seconds / spark["spark_seconds"], 2),
        "peak_rss_mib_driver": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    figures["sizing"] = _sizing(figures)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


def _registry(workdir: Path, persons: int):
    import data
    import polars as pl
    from run import KEY, with_county_standards

    from minzheng.registry.snapshot import SCHEMAS, RegistrySnapshot
    from minzheng.rules.facts import frames_of
    from minzheng.rules.parameters import shipped_tree

    if not (workdir / "registry_persons.parquet").exists():
        data.generate(persons, 20_000, KEY, workdir)
    read = {
        n: pl.read_parquet(workdir / f"registry_{n}.parquet")
        for n in ("households", "persons", "incomes", "assets")
    }
    shot = RegistrySnapshot(**read, supporters=pl.DataFrame(schema=SCHEMAS["supporters"]))
    tree = with_county_standards(
        shipped_tree(), pl.read_parquet(workdir / "dibao_standards.parquet")
    )
    return frames_of(shot), tree, data.AS_OF.replace(day=1)


def _polars(frames, tree, as_of, repeat: int):
    from minzheng.rules.evaluate import evaluate
    from minzheng.rules.explain import household_summary

    seconds, summary = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        summary = household_summary(evaluate(frames, as_of, tree))
        seconds.append(time.perf_counter() - started)
    print(f"polars: {[round(s, 2) for s in seconds]} s", file=sys.stderr)
    return round(statistics.median(seconds), 2), summary


def _spark(frames, tree, as_of, repeat: int, workdir: Path, expected) -> dict:
    import polars as pl
    from polars.testing import assert_frame_equal

    from minzheng.batch.spark import packing
    from minzheng.batch.spark.screening import screen
    from minzheng.batch.spark.session import partitions, session

    started = time.perf_counter()
    spark = session()
    start_seconds = time.perf_counter() - started
    tables = workdir / "spark_tables"
    tables.mkdir(exist_ok=True)
    started = time.perf_counter()
    paths = packing.write_tables(frames, tables)
    write_seconds = time.perf_counter() - started
    parts = partitions(spark)
    seconds = []
    for run in range(repeat):
        out = workdir / f"spark_summary_{run}"
        started = time.perf_counter()
        screen(spark, paths, as_of, tree, parts).write.mode("overwrite").parquet(str(out))
        got = pl.read_parquet(out / "*.parquet").sort("household_id")
        seconds.append(time.perf_counter() - started)
        assert_frame_equal(got, expected)  # the runners agree on every household
    print(f"spark: {[round(s, 2) for s in seconds]} s", file=sys.stderr)
    return {
        "spark_master": spark.sparkContext.master,
        "spark_partitions": parts,
        "spark_session_start_seconds": round(start_seconds, 2),
        "spark_write_input_parquet_seconds": round(write_seconds, 2),
        "spark_seconds": round(statistics.median(seconds), 2),
        "identical_results": True,
    }


def _sizing(figures: dict) -> dict:
    """Time for the nation's 66 million persons on a cluster, from the throughput Spark
    measured here per core (its overhead included), for a few cluster sizes."""
    cores = os.cpu_count() or 1
    per_core = figures["spark_persons_per_second"] / cores
    partitions = -(-NATION // PARTITION_PERSONS)
    return {
        "persons": NATION,
        "measured_persons_per_second_per_core": round(per_core),
        "partitions": partitions,
        "persons_per_partition": PARTITION_PERSONS,
        "minutes_by_executor_cores": {
            str(c): round(NATION / (per_core * c) / 60, 1) for c in (16, 64, 256)
        },
    }


if __name__ == "__main__":
    sys.exit(main())
