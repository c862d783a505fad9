"""The Minzheng side of the benchmark, run by run.py in a child process of the project's venv.

Times `minzheng.rules.evaluate.evaluate` (every registered program, with its criteria and the
parameter explanation table) on the population in WORKDIR, after an untimed warm-up run on its
first 1,000 households, twice per round: with one 低保 standard per county and area (≈5,700
entries) and with a single national standard per area, alternating which goes first. Writes
the compared columns of the first county-level run to WORKDIR/minzheng_{households,persons}.parquet.
"""

import statistics
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import polars as pl
import population

from minzheng.rules.evaluate import Frames, evaluate
from minzheng.rules.parameters import NATIONAL, Entry, Parameter, shipped_tree

HOUSEHOLD_OUTPUTS = ("dibao_eligible", "dibao_amount_fen", "dibao_edge_eligible")
PERSON_OUTPUTS = (
    "tekun_eligible",
    "tekun_basic_fen",
    "disability_living_amount_fen",
    "disability_nursing_amount_fen",
    "elderly_amount_fen",
)
# The national fallback (never reached by the population in the county-level run) and, in the
# national run, the only standard.
NATIONAL_STANDARD = {"urban": Decimal(800), "rural": Decimal(600)}


def trees(standards: pl.DataFrame) -> tuple[dict[str, Parameter], dict[str, Parameter]]:
    """(county-level tree, national tree). Every other parameter keeps only its national
    entries: the benchmark compares the rules at national values, and the shipped regional
    examples (e.g. 重庆's 分类施保 share) would otherwise apply in some of the counties."""
    shipped = shipped_tree()
    national_only = {
        name: replace(p, entries=tuple(e for e in p.entries if e.region == NATIONAL))
        for name, p in shipped.items()
    }
    start = population.STANDARDS_FROM
    fallback = tuple(
        Entry(NATIONAL, area, start, None, value, "bench")
        for area, value in NATIONAL_STANDARD.items()
    )
    counties = tuple(
        Entry(county, area, start, None, Decimal(yuan), "bench")
        for county, area, yuan in standards.iter_rows()
    )
    standard = shipped["dibao.standard"]
    county_tree = national_only | {"dibao.standard": replace(standard, entries=counties + fallback)}
    national_tree = national_only | {"dibao.standard": replace(standard, entries=fallback)}
    return county_tree, national_tree


def frames_of(tables: dict[str, pl.DataFrame]) -> Frames:
    return Frames(tables["households"], tables["persons"], tables["incomes"], tables["assets"])


def run(workdir: Path, repeat: int) -> dict:
    tables = population.read(workdir)
    frames = frames_of(tables)
    county_tree, national_tree = trees(tables["standards"])
    evaluate(frames_of(population.sample(tables)), population.AS_OF, county_tree)  # warm-up
    seconds: dict[str, list[float]] = {"county": [], "national": []}
    for round_ in range(repeat):
        order = [("county", county_tree), ("national", national_tree)]
        for name, tree in order if round_ % 2 == 0 else order[::-1]:
            started = time.perf_counter()
            result = evaluate(frames, population.AS_OF, tree)
            seconds[name].append(time.perf_counter() - started)
            if round_ == 0 and name == "county":
                _write(result, workdir)
            del result
    return {
        "persons": tables["persons"].height,
        "households": tables["households"].height,
        "county_standards": tables["standards"].height,
        "seconds": round(statistics.median(seconds["county"]), 3),
        "national_seconds": round(statistics.median(seconds["national"]), 3),
        "runs": {name: [round(s, 3) for s in values] for name, values in seconds.items()},
    }


def _write(result, workdir: Path) -> None:
    result.households.select("household_id", *HOUSEHOLD_OUTPUTS).write_parquet(
        workdir / "minzheng_households.parquet"
    )
    result.persons.select("person_id", *PERSON_OUTPUTS).write_parquet(
        workdir / "minzheng_persons.parquet"
    )
