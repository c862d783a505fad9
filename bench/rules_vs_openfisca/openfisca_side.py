"""The OpenFisca side of the benchmark, run by run.py in its own virtual environment:

    var/bench-openfisca-venv/bin/python bench/rules_vs_openfisca/openfisca_side.py WORKDIR

Reads the population from WORKDIR/*.parquet, writes the county standards as an OpenFisca
parameter file, runs once untimed on the first 1,000 households (warm-up, as on Minzheng's
side), then times (REPEAT times) what a data team would do to evaluate the population
with the country package openfisca_minzheng/: sum income items and asset rows per person and per
household (OpenFisca has no entity for an item), build the simulation from arrays with
SimulationBuilder, set the inputs and calculate the compared variables. Writes the results of
the first run to WORKDIR/openfisca_{households,persons}.parquet and prints one JSON line.
"""

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy
import polars as pl
import population
import yaml
from openfisca_core.simulations import SimulationBuilder
from openfisca_minzheng import CountryTaxBenefitSystem

PERIOD = population.AS_OF.strftime("%Y-%m")  # the month starting on the as-of date
HOUSEHOLD_OUTPUTS = ("dibao_eligible", "dibao_amount_fen", "dibao_edge_eligible")
PERSON_OUTPUTS = (
    "tekun_eligible",
    "tekun_basic_fen",
    "disability_living_amount_fen",
    "disability_nursing_amount_fen",
    "elderly_amount_fen",
)
HOUSEHOLD_INPUTS = ("deposits_fen", "vehicles", "dwellings", "businesses")
PERSON_INPUTS = ("co_resident", "exclusion", "disability_grade", "monthly_income_fen")
PERSON_ENUMS = ("disability_category", "father_situation", "mother_situation")


def write_standards(standards: pl.DataFrame, path: Path, start: str) -> None:
    """The node dibao.standard: county prefix → urban/rural → dated value in yuan."""
    node: dict = {
        "description": "低保标准（元/人·月），县级，分城乡",
        "metadata": {"unit": "currency-CNY"},
    }
    for county, area, yuan in standards.iter_rows():
        node.setdefault(county, {})[area] = {"values": {start: {"value": yuan}}}
    path.write_text(yaml.safe_dump(node, allow_unicode=True), encoding="utf-8")


def person_table(persons: pl.DataFrame, incomes: pl.DataFrame) -> pl.DataFrame:
    amount = pl.col("amount_fen")
    sums = (
        incomes.filter(~pl.col("excluded"))
        .group_by("person_id")
        .agg(
            amount.filter(pl.col("period") == "monthly").sum().alias("monthly_income_fen"),
            amount.filter(pl.col("period") == "annual").sum().alias("annual_income_fen"),
        )
    )
    return (
        persons.join(sums, on="person_id", how="left")
        .sort("person_id")
        .with_columns(
            pl.col("monthly_income_fen", "annual_income_fen").fill_null(0),
            pl.col("disability_grade").fill_null(0),
            pl.col("disability_category").replace("", "none"),  # the enum's name for no certificate
        )
    )


def household_table(households: pl.DataFrame, assets: pl.DataFrame) -> pl.DataFrame:
    kind = pl.col("kind")
    sums = assets.group_by("household_id").agg(
        pl.col("value_fen")
        .filter(kind.is_in(["deposit", "securities"]))
        .sum()
        .alias("deposits_fen"),
        (kind == "vehicle").sum().alias("vehicles"),
        (kind == "real_estate").sum().alias("dwellings"),
        (kind == "business").sum().alias("businesses"),
    )
    return (
        households.join(sums, on="household_id", how="left")
        .sort("household_id")
        .with_columns(pl.col(*HOUSEHOLD_INPUTS).fill_null(0))
    )


def simulation(system, people: pl.DataFrame, homes: pl.DataFrame, period: str):
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", people["person_id"].to_numpy())
    household = builder.declare_entity("household", homes["household_id"].to_numpy())
    members = people["household_id"].to_numpy()
    builder.join_with_persons(household, members, numpy.full(len(members), "member"))
    built = builder.build(system)
    built.set_input("region_code", "eternity", homes["region_code"].to_numpy())
    built.set_input("area_type", "eternity", _names(homes["area_type"]))
    built.set_input("birth_date", "eternity", people["birth_date"].to_numpy())
    for name in HOUSEHOLD_INPUTS:
        built.set_input(name, period, homes[name].to_numpy())
    for name in PERSON_INPUTS:
        built.set_input(name, period, people[name].to_numpy())
    for name in PERSON_ENUMS:
        built.set_input(name, period, _names(people[name]))
    built.set_input("annual_income_fen", period[:4], people["annual_income_fen"].to_numpy())
    return built


def _names(column: pl.Series) -> numpy.ndarray:
    """Enum inputs are encoded from names, which OpenFisca wants as a numpy str array."""
    return column.to_numpy().astype(str)


def run_once(system, frames: dict[str, pl.DataFrame], period: str) -> tuple[dict, dict]:
    started = time.perf_counter()
    people = person_table(frames["persons"], frames["incomes"])
    homes = household_table(frames["households"], frames["assets"])
    prepared = time.perf_counter()
    built = simulation(system, people, homes, period)
    ready = time.perf_counter()
    results = {name: built.calculate(name, period) for name in HOUSEHOLD_OUTPUTS + PERSON_OUTPUTS}
    done = time.perf_counter()
    timing = {
        "prepare_seconds": prepared - started,
        "build_seconds": ready - prepared,
        "calculate_seconds": done - ready,
        "seconds": done - started,
    }
    results["household_id"] = homes["household_id"].to_numpy()
    results["person_id"] = people["person_id"].to_numpy()
    return timing, results


def write_results(results: dict, workdir: Path) -> None:
    for level, key, names in (
        ("households", "household_id", HOUSEHOLD_OUTPUTS),
        ("persons", "person_id", PERSON_OUTPUTS),
    ):
        frame = pl.DataFrame({key: results[key], **{n: results[n] for n in names}})
        frame.with_columns(pl.col(pl.Int32).cast(pl.Int64)).write_parquet(
            workdir / f"openfisca_{level}.parquet"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    frames = population.read(args.workdir)
    standards_file = args.workdir / "openfisca_standards.yaml"
    write_standards(frames["standards"], standards_file, population.STANDARDS_FROM.isoformat())
    started = time.perf_counter()
    system = CountryTaxBenefitSystem(standards_file)
    load_seconds = time.perf_counter() - started
    run_once(system, population.sample(frames), PERIOD)  # warm-up, as on Minzheng's side
    runs = []
    for index in range(args.repeat):
        timing, results = run_once(system, frames, PERIOD)
        runs.append(timing)
        if index == 0:
            write_results(results, args.workdir)
        del results
    summary = {
        "persons": frames["persons"].height,
        "households": frames["households"].height,
        "seconds": round(statistics.median(r["seconds"] for r in runs), 3),
        "runs": [{k: round(v, 3) for k, v in r.items()} for r in runs],
        "load_parameters_seconds": round(load_seconds, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":  # the script's directory is on sys.path: population, the package
    sys.exit(main())
