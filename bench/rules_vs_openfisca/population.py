"""The synthetic population both engines read: persons, households, income items, assets and
one urban and one rural 低保 standard per county. Vectorised numpy, fixed seed: the same
arguments give the same frames, byte for byte.

Households are spread over ≈2,850 real county prefixes (the shipped region file), so the
county-level standards are exercised as they would be in a province-wide or national run.
The mix is tuned so that every compared rule fires often: elderly-only households (特困, 高龄),
orphans (both parents dead or missing), disability grades on ~6% of persons, monthly and annual
income with excluded items, deposits near the 24-month line, vehicles and second dwellings.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

AS_OF = date(2025, 7, 1)  # a month start: OpenFisca's month period begins on the 1st
STANDARDS_FROM = date(2024, 1, 1)
COUNTIES = 2850
HOUSEHOLD_SIZES = (np.arange(1, 9), [0.22, 0.27, 0.2, 0.14, 0.09, 0.05, 0.02, 0.01])  # mean 2.89
CATEGORIES = ["physical", "visual", "hearing", "speech", "intellectual", "mental", "multiple"]
CATEGORY_WEIGHTS = [0.45, 0.13, 0.12, 0.02, 0.1, 0.12, 0.06]
NAMES = ("households", "persons", "incomes", "assets", "standards")
EXCLUSIONS = ["imprisoned", "drug_rehab", "declared_missing", "clergy_apart", "conscript"]


@dataclass(frozen=True)
class Population:
    households: pl.DataFrame  # household_id, region_code, area_type
    persons: pl.DataFrame
    incomes: pl.DataFrame
    assets: pl.DataFrame
    standards: pl.DataFrame  # county (6-digit prefix), area_type, yuan (per person and month)

    def write(self, directory) -> None:
        for name in NAMES:
            getattr(self, name).write_parquet(f"{directory}/{name}.parquet")


def read(directory) -> dict[str, pl.DataFrame]:
    return {name: pl.read_parquet(f"{directory}/{name}.parquet") for name in NAMES}


def sample(frames: dict[str, pl.DataFrame], households: int = 1000) -> dict[str, pl.DataFrame]:
    """The first households with their persons, items and assets: a warm-up run's input."""
    kept = pl.col("household_id") <= households
    return {
        name: frame.filter(kept) if "household_id" in frame.columns else frame
        for name, frame in frames.items()
    }


def generate(persons: int, county_prefixes: list[str], seed: int = 20250701) -> Population:
    rng = np.random.default_rng(seed)
    counties = sorted(rng.choice(sorted(county_prefixes), COUNTIES, replace=False).tolist())
    sizes = _household_sizes(rng, persons)
    households = _households(rng, sizes, counties)
    people = _persons(rng, sizes)
    return Population(
        households,
        people,
        _incomes(rng, people),
        _assets(rng, households.height),
        _standards(rng, counties),
    )


def _household_sizes(rng: np.random.Generator, persons: int) -> np.ndarray:
    values, weights = HOUSEHOLD_SIZES
    # Draw more households than needed (the mean size is 2.89), then keep just enough.
    draws = rng.choice(values, size=int(persons / 2.5) + 8, p=weights)
    ends = np.cumsum(draws)
    count = int(np.searchsorted(ends, persons)) + 1
    sizes = draws[:count].copy()
    sizes[-1] -= ends[count - 1] - persons  # the last household takes what is left
    return sizes[sizes > 0]


def _households(rng: np.random.Generator, sizes: np.ndarray, counties: list[str]) -> pl.DataFrame:
    count = len(sizes)
    # Every county gets households (the first ones round robin), the rest at random.
    county = np.concatenate(
        [np.arange(min(count, len(counties))), rng.integers(0, len(counties), count)]
    )[:count]
    codes = np.array([prefix + "000000" for prefix in counties])
    return pl.DataFrame(
        {
            "household_id": np.arange(1, count + 1, dtype=np.int64),
            "region_code": codes[county],
            "area_type": np.where(rng.random(count) < 0.45, "urban", "rural"),
        }
    )


def _persons(rng: np.random.Generator, sizes: np.ndarray) -> pl.DataFrame:
    count = int(sizes.sum())
    household = np.repeat(np.arange(1, len(sizes) + 1, dtype=np.int64), sizes)
    age = _ages(rng, sizes, household)
    grade = np.where(rng.random(count) < 0.06, rng.choice([1, 2, 3, 4], count), 0)
    category = rng.choice(CATEGORIES, count, p=CATEGORY_WEIGHTS)
    father, mother = _parents(rng, age)
    excluded = rng.random(count) < 0.012
    return pl.DataFrame(
        {
            "person_id": np.arange(1, count + 1, dtype=np.int64),
            "household_id": household,
            "co_resident": rng.random(count) >= 0.03,
            "exclusion": np.where(excluded, rng.choice(EXCLUSIONS, count), ""),
            "birth_date": _birth_dates(rng, age),
            "disability_category": np.where(grade > 0, category, ""),
            "disability_grade": pl.Series(grade, dtype=pl.Int8).replace(0, None),
            "father_situation": father,
            "mother_situation": mother,
        }
    )


def _ages(rng: np.random.Generator, sizes: np.ndarray, household: np.ndarray) -> np.ndarray:
    """Ages in full years: a quarter of the one- and two-person households are elderly-only,
    the others a general mix; about 3% are 80 or older and some 0.02% 100 or older."""
    count = len(household)
    general = rng.choice(np.arange(106), count, p=_age_weights(0))
    elderly = rng.choice(np.arange(106), count, p=_age_weights(60))
    elderly_home = (rng.random(len(sizes)) < 0.25) & (sizes <= 2)
    return np.where(elderly_home[household - 1], elderly, general)


def _age_weights(youngest: int) -> np.ndarray:
    """Flat up to 60, then falling by e every 12 years, and much faster past 90."""
    age = np.arange(106)
    weights = np.exp(-np.clip(age - 60, 0, None) / 12 - np.clip(age - 90, 0, None) / 4)
    weights[age < youngest] = 0
    return weights / weights.sum()


def _birth_dates(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """A birth date for each age, any day of the year: about 1 in 365 falls on the as-of
    birthday itself, which is where an off-by-one in the age rule would show."""
    as_of = np.datetime64(AS_OF, "D")
    days = (age + rng.random(len(age))) * 365.2425
    return as_of - days.astype("timedelta64[D]")


def _parents(rng: np.random.Generator, age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mostly "normal"; some parents dead or missing, and ~1.5% of minors orphaned."""
    count = len(age)
    situations = np.array(["normal", "dead", "missing"])
    father = situations[rng.choice(3, count, p=[0.95, 0.04, 0.01])]
    mother = situations[rng.choice(3, count, p=[0.96, 0.03, 0.01])]
    orphaned = (age < 18) & (rng.random(count) < 0.015)
    father = np.where(orphaned, situations[rng.choice([1, 2], count, p=[0.8, 0.2])], father)
    mother = np.where(orphaned, situations[rng.choice([1, 2], count, p=[0.8, 0.2])], mother)
    return father, mother


def _incomes(rng: np.random.Generator, people: pl.DataFrame) -> pl.DataFrame:
    """Wages (monthly) for working-age adults, pensions (monthly) for the elderly, farm or
    casual income (annual), and excluded items (subsidies not counted as income)."""
    age = (AS_OF.year - people["birth_date"].dt.year()).to_numpy()  # near enough to choose items
    working, elderly = (age >= 18) & (age < 60), age >= 60
    kinds = [  # period, who has one, median yuan, spread (lognormal sigma), excluded
        ("monthly", working & (rng.random(len(age)) < 0.85), 3500.0, 0.8, False),
        ("monthly", elderly & (rng.random(len(age)) < 0.75), 1200.0, 1.0, False),
        ("annual", (age >= 16) & (rng.random(len(age)) < 0.25), 12000.0, 1.0, False),
        ("monthly", rng.random(len(age)) < 0.06, 300.0, 0.5, True),
        ("annual", rng.random(len(age)) < 0.03, 2000.0, 0.7, True),
    ]
    parts = [_items(rng, people, *kind) for kind in kinds]
    return pl.concat(parts).sort("person_id", maintain_order=True)


def _items(rng, people, period: str, has: np.ndarray, yuan: float, sigma: float, excluded: bool):
    chosen = people.filter(pl.Series(has))
    # Any fen value, so that the annual ÷ 12 rounding is exercised on every kind of remainder.
    amount = np.round(rng.lognormal(np.log(yuan), sigma, chosen.height) * 100).astype(np.int64)
    return chosen.select(
        "person_id",
        "household_id",
        pl.lit(period).alias("period"),
        pl.Series("amount_fen", amount),
        pl.lit(excluded).alias("excluded"),
    )


def _assets(rng: np.random.Generator, households: int) -> pl.DataFrame:
    """Deposits (most households; a spread around the 24-month line), securities, vehicles,
    dwellings (one for most, two for some) and registered businesses."""
    ids = np.arange(1, households + 1, dtype=np.int64)
    kinds = [
        ("deposit", 0.75, 15000.0, 1.4),
        ("deposit", 0.15, 5000.0, 1.0),
        ("securities", 0.05, 20000.0, 1.2),
        ("vehicle", 0.08, 60000.0, 0.6),
        ("real_estate", 0.8, 300000.0, 0.8),
        ("real_estate", 0.07, 250000.0, 0.8),
        ("business", 0.03, 50000.0, 1.0),
    ]
    parts = []
    for kind, share, yuan, sigma in kinds:
        owners = ids[rng.random(households) < share]
        # Capped at 2 million yuan: OpenFisca's int is 32-bit, so fen must stay below 2^31.
        value = np.minimum(rng.lognormal(np.log(yuan), sigma, len(owners)), 2_000_000)
        parts.append(
            pl.DataFrame(
                {
                    "household_id": owners,
                    "kind": kind,
                    "value_fen": np.round(value * 100).astype(np.int64),
                }
            )
        )
    return pl.concat(parts).sort("household_id", maintain_order=True)


def _standards(rng: np.random.Generator, counties: list[str]) -> pl.DataFrame:
    """Urban 600–1500 yuan, rural 60–100% of it but at least 400: whole yuan, as published."""
    urban = rng.integers(600, 1501, len(counties))
    rural = np.maximum(np.round(urban * rng.uniform(0.6, 1.0, len(counties))), 400)
    return pl.DataFrame(
        {
            "county": counties * 2,
            "area_type": ["urban"] * len(counties) + ["rural"] * len(counties),
            "yuan": np.concatenate([urban, rural]).astype(np.int64),
        }
    )
