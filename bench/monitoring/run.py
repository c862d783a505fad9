"""Benchmark: the monthly monitoring run's computation, 5 million registry persons against
10 million department rows, on this machine.

    .venv/bin/python bench/monitoring/run.py [--persons 5000000] [--feed-rows 10000000]
                                             [--workdir DIR] [--no-load]

1. generate the inputs with data.py (Parquet) unless WORKDIR already holds them for these sizes;
2. the pipeline, timed, in a child process (its peak memory is its own): every feed file read
   and validated (reading.validate: ID normalisation and checks, types, quarantine), matched
   on the blind index (matching.match), the registry evaluated by the rules engine, the
   indicators (indicators.detect_all) and 政策找人 candidates (outreach.candidates) computed,
   and both written to Parquet — the same functions the `minzheng monitor` run calls;
3. loading the results into the database through the services (monitoring.services.
   raise_warnings, outreach.create_tasks), timed apart, into a fresh SQLite database without
   the registry rows (foreign keys off: the load, not the registry, is measured).

Prints the figures and writes them to bench/results/monitoring.json.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
RESULTS = HERE.parent / "results" / "monitoring.json"
KEY = "monitoring-benchmark-blind-index-key"
PERIOD = "2025-06"


def _django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings")
    os.environ.setdefault("MINZHENG_VAR_DIR", str(workdir / "var"))
    os.environ["BLIND_INDEX_KEY"] = KEY
    import django

    django.setup()


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def pipeline(workdir: Path) -> dict:
    import polars as pl
    from data import AS_OF

    from minzheng.kit.sheets import ROW
    from minzheng.monitoring import feeds
    from minzheng.monitoring.indicators import detect_all
    from minzheng.monitoring.inputs import ASSETS_SCHEMA, CASES_SCHEMA, Sources, compose
    from minzheng.monitoring.matching import match_all
    from minzheng.monitoring.outreach import candidates
    from minzheng.monitoring.reading import validate
    from minzheng.registry.snapshot import RegistrySnapshot
    from minzheng.rules.evaluate import evaluate
    from minzheng.rules.explain import household_summary
    from minzheng.rules.facts import frames_of
    from minzheng.rules.parameters import resolve, shipped_tree

    started = time.perf_counter()
    # The parameter tree (YAML and the region file) is loaded once per process, not per run.
    tree = with_county_standards(
        shipped_tree(), pl.read_parquet(workdir / "dibao_standards.parquet")
    )
    load_parameters = round(time.perf_counter() - started, 2)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 2)
        clock = now
        print(f"{name}: {seconds[name]} s, peak {_peak_mib()} MiB", file=sys.stderr, flush=True)

    read = {
        n: pl.read_parquet(workdir / f"registry_{n}.parquet")
        for n in ("households", "persons", "incomes", "assets")
    }
    identities = pl.read_parquet(
        workdir / "registry_identities.parquet", columns=["person_id", "name"]
    )
    shot = RegistrySnapshot(
        **read,
        supporters=pl.DataFrame(
            schema={
                "household_id": pl.Int64,
                "supported_id": pl.Int64,
                "duty": pl.Utf8,
                "monthly_income_fen": pl.Int64,
                "condition": pl.Utf8,
            }
        ),
    )
    registry = shot.persons.select("person_id", "id_number_index").join(identities, on="person_id")
    recipients = pl.read_parquet(workdir / "recipients.parquet")
    lap("read registry")

    checked, rows, problems = {}, 0, 0
    for feed in feeds.catalogue().values():
        raw = pl.read_parquet(workdir / f"feed_{feed.code}.parquet")
        raw = raw.with_columns(pl.int_range(2, raw.height + 2, dtype=pl.Int64).alias(ROW))
        read = validate(feed, raw, AS_OF)
        checked[feed.code] = read.frame
        rows, problems = rows + read.rows_total, problems + len(read.problems)
    lap("read and validate feeds")

    found_all = match_all(checked, registry, KEY)
    lap("index the ID numbers and match them with the registry")

    facts, matched, review, unmatched = {}, 0, 0, 0
    for code, found in found_all.items():
        values = [c.code for c in feeds.feed(code).value_columns]
        facts[code] = found.matched.select(
            "person_id", pl.format(f"{code}:{{}}", ROW).alias("source"), *values
        )
        matched, review = matched + found.matched.height, review + found.review.height
        unmatched += found.unmatched.height
    del checked, found_all
    lap("the matched facts")

    first_day = AS_OF.replace(day=1)
    evaluation = evaluate(frames_of(shot), first_day, tree)
    lap("evaluate the registry (rules engine)")

    receiving = recipients.join(
        shot.persons.select("person_id", "household_id"),
        on="household_id",
        how="left",
        suffix="_member",
    )
    receiving = receiving.select(
        pl.coalesce("person_id", "person_id_member").alias("person_id"), "program"
    ).unique()
    threshold = resolve(tree["monitoring.medical_self_paid"], first_day, "330122000000")
    found = Sources(
        PERIOD,
        facts,
        receiving,
        pl.DataFrame(schema=CASES_SCHEMA),
        shot.assets.filter(pl.col("kind").is_in(["vehicle", "real_estate", "business"])).select(
            list(ASSETS_SCHEMA)
        ),
        int(threshold.value * 100),
    )
    inputs = compose(found, evaluation)
    summary = household_summary(evaluation)
    del evaluation  # its frames are the largest thing held: keep only the summary and the lines
    warnings = detect_all(inputs)
    warnings.write_parquet(workdir / "out_warnings.parquet")
    lap("indicators → warnings.parquet")

    known = recipients.select("household_id", "program").unique()
    outreach = candidates(summary, known)
    outreach.write_parquet(workdir / "out_outreach.parquet")
    lap("政策找人 → outreach.parquet")

    return {
        "seconds": round(sum(seconds.values()), 2),
        "steps": seconds,
        "load_parameters_seconds": load_parameters,
        "peak_rss_mib": _peak_mib(),
        "registry_persons": shot.persons.height,
        "registry_households": shot.households.height,
        "feed_rows": rows,
        "invalid_rows": problems,
        "matched": matched,
        "review": review,
        "unmatched": unmatched,
        "warnings": warnings.height,
        "warnings_by_indicator": dict(
            warnings.group_by("indicator").len().sort("indicator").iter_rows()
        ),
        "outreach": outreach.height,
    }


def with_county_standards(tree: dict, standards) -> dict:
    """The shipped parameters with one urban and one rural 低保 standard per registry county
    (the shipped file holds example regions only)."""
    from dataclasses import replace
    from datetime import date
    from decimal import Decimal

    from minzheng.rules.parameters import Entry

    standard = tree["dibao.standard"]
    counties = tuple(
        Entry(county, area, date(2025, 1, 1), None, Decimal(str(yuan)), "bench")
        for county, area, yuan in standards.iter_rows()
    )
    return tree | {"dibao.standard": replace(standard, entries=standard.entries + counties)}


def load(workdir: Path) -> dict:
    """The results into a fresh SQLite database through the services."""
    import polars as pl
    from data import AS_OF
    from django.core.management import call_command
    from django.db import connection, transaction

    from minzheng.monitoring.outreach import create_tasks
    from minzheng.monitoring.services import raise_warnings

    call_command("migrate", verbosity=0)
    warnings = pl.read_parquet(workdir / "out_warnings.parquet")
    outreach = pl.read_parquet(workdir / "out_outreach.parquet")
    regions = dict(
        pl.read_parquet(
            workdir / "registry_households.parquet", columns=["household_id", "region_code"]
        ).iter_rows()
    )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
    started = time.perf_counter()
    with transaction.atomic():
        raise_warnings("000000000000", PERIOD, warnings, AS_OF)
    warning_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        create_tasks("000000000000", PERIOD, outreach, regions)
    outreach_seconds = time.perf_counter() - started
    return {
        "warnings": warnings.height,
        "warnings_seconds": round(warning_seconds, 1),
        "outreach": outreach.height,
        "outreach_seconds": round(outreach_seconds, 1),
        "rows_per_second": round(
            (warnings.height + outreach.height) / (warning_seconds + outreach_seconds)
        ),
        "peak_rss_mib": _peak_mib(),
    }


def child(args: list[str]) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=5_000_000)
    parser.add_argument("--feed-rows", type=int, default=10_000_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument("--phase", choices=["pipeline", "load"])
    args = parser.parse_args()
    if args.phase:
        _django(args.workdir)
        print(
            json.dumps(pipeline(args.workdir) if args.phase == "pipeline" else load(args.workdir))
        )
        return 0
    with tempfile.TemporaryDirectory(prefix="monitoring-bench-") as scratch:
        workdir = args.workdir or Path(scratch)
        sizes = workdir / "sizes.json"
        wanted = {"persons": args.persons, "feed_rows": args.feed_rows}
        generated = None
        if not (sizes.exists() and json.loads(sizes.read_text()) == wanted):
            command = [
                sys.executable,
                str(HERE / "data.py"),
                "--workdir",
                str(workdir),
                "--key",
                KEY,
                "--persons",
                str(args.persons),
                "--feed-rows",
                str(args.feed_rows),
            ]
            output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
            generated = json.loads(output.stdout.strip().splitlines()[-1])
            sizes.write_text(json.dumps(wanted))
        load_average = round(os.getloadavg()[0], 2)
        ran = child(["--phase", "pipeline", "--workdir", str(workdir)])
        loaded = None if args.no_load else child(["--phase", "load", "--workdir", str(workdir)])
    result = {
        "machine": f"{os.cpu_count()} cores",
        "load_average_at_start": load_average,
        "target": "≤ 60 s and ≤ 8 GiB peak for 5M persons × 10M feed rows",
        "pipeline": ran,
        "database_load": loaded,
        "generation": generated,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.persons == 5_000_000 and args.feed_rows == 10_000_000:
        RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.path[:0] = [str(HERE), str(PROJECT / "src")]
    sys.exit(main())
