"""The Minzheng side of the benchmark, run by run.py in a child process of the project's venv.

Times `minzheng.rules.evaluate.evaluate` (every registered program, with its criteria and the
parameter explanation table) on the population in WORKDIR with one 低保 standard per county and
area (≈5,700 entries) and with a single national standard per area:

- an untimed warm-up on the whole population with the national standard (the first run in a
  process pays for Polars' first allocation of a million-row working set, whichever it is);
- the first county-level run, timed on its own: it also resolves the county standards, which
  are then kept for the day;
- `repeat` rounds of both, alternating which goes first. The slowdown is the median of the
  rounds' county/national ratios, with a distribution-free 95% interval (sign test): a
  slowdown is measurable when the interval lies above 1.

Writes the compared columns of the first county-level run to
WORKDIR/minzheng_{households,persons}.parquet.
"""

import math
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
    evaluate(frames, population.AS_OF, national_tree)  # warm-up
    started = time.perf_counter()
    first = evaluate(frames, population.AS_OF, county_tree)
    first_county = time.perf_counter() - started
    _write(first, workdir)
    del first
    seconds: dict[str, list[float]] = {"county": [], "national": []}
    for round_ in range(repeat):
        order = [("county", county_tree), ("national", national_tree)]
        for name, tree in order if round_ % 2 == 0 else order[::-1]:
            started = time.perf_counter()
            result = evaluate(frames, population.AS_OF, tree)
            seconds[name].append(time.perf_counter() - started)
            del result
    ratios = [c / n for c, n in zip(seconds["county"], seconds["national"], strict=True)]
    return {
        "persons": tables["persons"].height,
        "households": tables["households"].height,
        "county_standards": tables["standards"].height,
        "seconds": round(statistics.median(seconds["county"]), 3),
        "national_seconds": round(statistics.median(seconds["national"]), 3),
        "first_county_seconds": round(first_county, 3),
        "county_ratio": round(statistics.median(ratios), 3),
        "county_ratio_interval": [round(r, 3) for r in median_interval(ratios)],
        "runs": {name: [round(s, 3) for s in values] for name, values in seconds.items()},
    }


def median_interval(values: list[float], confidence: float = 0.95) -> tuple[float, float]:
    """A distribution-free interval for the median (sign test): the k-th smallest and k-th
    largest values, for the largest k with P(Binomial(n, 1/2) < k) ≤ (1 − confidence) / 2.
    With 5 values or fewer there is none: the interval is the range (and covers less)."""
    ordered, n = sorted(values), len(values)
    k, below = 1, 0.0
    while True:
        below += math.comb(n, k - 1) / 2**n  # P(X ≤ k − 1)
        if below > (1 - confidence) / 2 or k > n // 2:
            break
        k += 1
    k = max(k - 1, 1)
    return ordered[k - 1], ordered[n - k]


def _write(result, workdir: Path) -> None:
    result.households.select("household_id", *HOUSEHOLD_OUTPUTS).write_parquet(
        workdir / "minzheng_households.parquet"
    )
    result.persons.select("person_id", *PERSON_OUTPUTS).write_parquet(
        workdir / "minzheng_persons.parquet"
    )
