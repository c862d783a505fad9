"""Synthetic input of the monitoring benchmark (低收入人口动态监测): a registry in the shape of
the registry snapshot, who receives aid, and one file per department feed.

    .venv/bin/python bench/monitoring/data.py --workdir DIR [--persons 5000000]
                                              [--feed-rows 10000000] [--key KEY] [--seed 7]

Writes into DIR, and prints the row count of each file, the seconds taken and the peak memory
as one JSON line (progress goes to stderr):

- registry_households, _persons, _incomes, _assets.parquet: the frames of registry/snapshot.py
  (SCHEMAS), assets with their `registration` as well (plate, certificate or credit code; ""
  for deposits and securities). Persons carry only the blind index of their ID number under
  `key`, as kit.crypto.blind_index computes it with BLIND_INDEX_KEY = key;
- registry_identities.parquet: person_id, id_number, name in clear, to build the feeds;
- recipients.parquet: household_id, program, person_id (null for a household program);
- dibao_standards.parquet: county (6 digits), area_type, yuan: the 低保 standards to evaluate
  the registry with;
- feed_<code>.parquet for each feed of monitoring/feeds.yaml, all text (departments.py).

The households are the demo generator's (registry.synthetic: household types, kinship,
incomes, disabilities, valid ID numbers) in the real villages of 300 counties of the shipped
region file, counties whose code stdnum accepts as a birthplace for any birth year. Strangers
are born in other such counties, so none has a registry person's number. Same arguments, same
files.
"""

import argparse
import gzip
import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

import departments
import names
import numpy as np
import polars as pl

from minzheng.monitoring import idframe, matching
from minzheng.regions import codes
from minzheng.registry import synthetic
from minzheng.registry.snapshot import SCHEMAS

AS_OF = date(2025, 6, 30)  # the last day of the period (2025-06) the feeds report on
COUNTIES = 300
PERSONS_PER_HOUSEHOLD = 2.92  # synthetic.generate's average
DIBAO, TEKUN = 0.06, 0.01  # shares of households
DEFAULT_KEY = "monitoring-benchmark-blind-index-key"
BLANK_AS_EMPTY = ("disability_category", "father_situation", "mother_situation")
EXCLUSIONS = ["imprisoned", "drug_rehab", "declared_missing", "clergy_apart", "conscript"]
ASSETS = [  # kind, share of households, median yuan, lognormal sigma, rarer for recipients
    ("deposit", 0.75, 15000.0, 1.4, False),
    ("deposit", 0.15, 5000.0, 1.0, False),
    ("securities", 0.05, 20000.0, 1.2, True),
    ("vehicle", 0.15, 60000.0, 0.6, True),
    ("real_estate", 0.8, 300000.0, 0.8, False),
    ("real_estate", 0.07, 250000.0, 0.8, True),
    ("business", 0.06, 50000.0, 1.0, True),
]


def generate(persons: int, feed_rows: int, key: str, workdir: Path, seed: int = 7) -> dict:
    """Write the files into `workdir`; the row count of each (by file name without .parquet)."""
    _django(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    regions = _regions()
    ours, theirs = _counties(regions, rng)
    _say(f"registry: {persons:,} persons in {len(ours)} counties")
    villages = _villages(regions, ours)
    counts, people, assets = _registry_files(workdir, key, villages, persons, seed, rng)
    standards = _standards(ours, rng)
    standards.write_parquet(workdir / "dibao_standards.parquet")
    counts["dibao_standards"] = standards.height
    _say(f"feeds: {feed_rows:,} rows")
    county_names = regions.filter(pl.col("level") == codes.COUNTY)
    sources = departments.Sources(
        people=people,
        strangers=names.strangers(rng, feed_rows // 10 + 1000, theirs, AS_OF),
        assets=assets,
        counties=dict(zip(county_names["code"].str.slice(0, 6), county_names["name"], strict=True)),
        as_of=AS_OF,
    )
    written = departments.write_all(sources, feed_rows, rng, workdir)
    return counts | {f"feed_{code}": rows for code, rows in written.items()}


def _registry_files(workdir: Path, key: str, villages, persons: int, seed: int, rng):
    """Generate and write the registry files; return their counts and what the feeds need:
    the persons' identities and attributes, and the declared assets."""
    population = synthetic.generate(villages, round(persons / PERSONS_PER_HOUSEHOLD), seed, AS_OF)
    households, people, incomes = _registry(population, rng)
    del population
    recipients = _recipients(households, people, incomes, rng)
    receiving = pl.col("household_id").is_in(
        recipients.filter(pl.col("person_id").is_null())["household_id"].implode()
    ) | pl.col("person_id").is_in(recipients["person_id"].drop_nulls().implode())
    people = people.with_columns(recipient=receiving)
    assets = _assets(households, people, rng)
    _say("blind indexes and registry files")
    counts = _write_registry(workdir, key, households, people, incomes, assets, recipients)
    return counts, people.select(names.PERSON_COLUMNS), assets


def _django(workdir: Path) -> None:
    """The shipped region file is read through the regions app."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings")
    os.environ.setdefault("MINZHENG_VAR_DIR", str(workdir / "var"))
    import django

    django.setup()


def _say(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


# ---- where the registry lives -----------------------------------------------------------------


def _regions() -> pl.DataFrame:
    from minzheng.regions.services import DATA_FILE

    frame = pl.read_csv(gzip.decompress(DATA_FILE.read_bytes()), infer_schema=False)
    return frame.with_columns(pl.col("level").cast(pl.Int8))


def _counties(regions: pl.DataFrame, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """COUNTIES counties with villages for the registry, and every other code valid as a
    birthplace in every year for the strangers."""
    years = (idframe.birthplaces()["key"] // 10_000).value_counts()
    valid = set(years.filter(pl.col("count") == pl.col("count").max())["key"].cast(pl.Utf8))
    villages = regions.filter(pl.col("level") == codes.VILLAGE)["code"].str.slice(0, 6)
    eligible = sorted(valid & set(villages.unique()))
    ours = sorted(rng.choice(eligible, min(COUNTIES, len(eligible)), replace=False).tolist())
    return ours, sorted(c for c in valid - set(ours) if not c.endswith("00"))  # no city codes


def _villages(regions: pl.DataFrame, counties: list[str]) -> list[synthetic.Village]:
    rows = regions.filter(
        (pl.col("level") == codes.VILLAGE) & pl.col("code").str.slice(0, 6).is_in(counties)
    )
    return [
        synthetic.Village(code, "111" if _urban(name, kind) else "220")
        for code, name, kind in rows.select("code", "name", "urban_rural").iter_rows()
    ]


def _urban(name: str, urban_rural: str | None) -> bool:
    return codes.area_type_of(name, urban_rural or "", codes.VILLAGE) == codes.URBAN


# ---- the registry -----------------------------------------------------------------------------


def _registry(population: synthetic.Population, rng: np.random.Generator):
    """Households, persons (snapshot columns plus identity, age, county, urban) and incomes
    with the snapshot's integer ids."""
    households = population.households.with_columns(
        household_id=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
        number=pl.col("household_no"),
        region_code=pl.col("village_code"),
        status=pl.lit("active"),
    )
    homes = households.select("household_no", "household_id", "region_code", "area_type")
    people = population.persons.drop("phone").join(homes, on="household_no", maintain_order="left")
    people = people.with_columns(
        person_id=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
        age=names.age_on(pl.col("birth_date"), AS_OF),
        county=pl.col("region_code").str.slice(0, 6),
        urban=pl.col("area_type") == "urban",
    ).drop("household_no", "area_type")
    people = people.with_columns(_circumstances(people, rng))
    incomes = population.incomes.join(
        people.select("id_number", "person_id", "household_id"),
        on="id_number",
        maintain_order="left",
    )
    return households, people, incomes


def _circumstances(people: pl.DataFrame, rng: np.random.Generator) -> list[pl.Series]:
    """The snapshot columns the demo generator has no use for; blank text is "" as in the
    database."""
    n, age = people.height, people["age"].to_numpy()
    grade = people["disability_grade"].fill_null(9).to_numpy()
    excluded = (age >= 18) & (rng.random(n) < 0.01)
    assessed = ((age >= 70) | (grade <= 2)) & (rng.random(n) < 0.4)
    unable = rng.choice(7, n, p=[0.5, 0.12, 0.1, 0.08, 0.07, 0.06, 0.07])
    return [
        pl.Series("co_resident", rng.random(n) >= 0.03),
        pl.Series("exclusion", np.where(excluded, rng.choice(EXCLUSIONS, n), "")),
        pl.Series("student_status", names.student_status(age, rng)),
        pl.Series("self_care_unable", np.where(assessed, unable, -1)).replace(-1, None),
        *(people[c].fill_null("") for c in BLANK_AS_EMPTY),
    ]


def _recipients(households, people, incomes, rng: np.random.Generator) -> pl.DataFrame:
    """低保 for DIBAO of the households, mostly poor ones; 特困 for TEKUN of them, on one
    person each: the elderly living alone, adults with a severe disability unable to work,
    orphans."""
    counted = (
        incomes.filter(~pl.col("excluded"))
        .group_by("household_id")
        .agg(pl.col("amount_fen").sum().alias("income"))
    )
    sizes = people.group_by("household_id").agg(pl.len().alias("size"))
    per_capita = (
        households.select("household_id")
        .join(sizes, on="household_id", maintain_order="left")
        .join(counted, on="household_id", how="left", maintain_order="left")
    )
    poor = pl.col("income").fill_null(0) < synthetic.POOR_LINE_FEN * pl.col("size")
    dibao = departments.pick(per_capita, round(households.height * DIBAO), poor * 30.0 + 1, rng)
    others = people.join(sizes, on="household_id", maintain_order="left").filter(
        ~pl.col("household_id").is_in(dibao["household_id"].implode())
    )
    alone = (pl.col("age") >= 60) & (pl.col("size") == 1)
    severe = (pl.col("disability_grade") <= 2).fill_null(False)
    unable = severe & (pl.col("labour_capacity") == "none")
    orphan = (pl.col("father_situation") == "dead") & (pl.col("mother_situation") == "dead")
    deserving = alone * 10.0 + unable * 5.0 + orphan * 10.0
    tekun = departments.pick(others, round(households.height * TEKUN * 1.05), deserving, rng)
    tekun = tekun.unique("household_id", keep="first", maintain_order=True)
    schema = {"household_id": pl.Int64, "program": pl.Utf8, "person_id": pl.Int64}
    return pl.concat(
        [
            dibao.select("household_id", program=pl.lit("dibao"), person_id=pl.lit(None)),
            tekun.head(round(households.height * TEKUN)).select(
                "household_id", program=pl.lit("tekun"), person_id="person_id"
            ),
        ],
        how="vertical_relaxed",
    ).cast(schema)


def _assets(households, people, rng: np.random.Generator) -> pl.DataFrame:
    """Declared assets (as population.py), fewer for recipients; vehicles, real estate and
    businesses registered to the head, with the registration the departments know them by."""
    heads = people.filter(pl.col("relation") == "head").select(
        "household_id", "recipient", owner_id="person_id"
    )
    homes = households.select("household_id", county=pl.col("region_code").str.slice(0, 6))
    homes = homes.join(heads, on="household_id", maintain_order="left")
    receiving = homes["recipient"].fill_null(False).to_numpy()
    parts = []
    for kind, share, yuan, sigma, rarer in ASSETS:
        odds = share * np.where(receiving & rarer, 0.2, 1.0)
        owned = homes.filter(pl.Series(rng.random(homes.height) < odds))
        value = np.minimum(rng.lognormal(np.log(yuan), sigma, owned.height), 5_000_000)
        parts.append(owned.with_columns(kind=pl.lit(kind), value_fen=np.rint(value * 100)))
    assets = pl.concat(parts).sort("household_id", maintain_order=True)
    assets = assets.with_columns(
        value_fen=pl.col("value_fen").cast(pl.Int64),
        serial=pl.int_range(pl.len(), dtype=pl.Int64).over("kind"),
        registered_on=departments.days_before(AS_OF, 365, 7300, assets.height, rng),
    )
    registration = pl.lit("")  # deposits and securities have none
    for kind in ("vehicle", "real_estate", "business"):
        is_kind = pl.col("kind") == kind
        registration = pl.when(is_kind).then(names.registration(kind)).otherwise(registration)
    return assets.with_columns(registration=registration)


def _standards(counties: list[str], rng: np.random.Generator) -> pl.DataFrame:
    """One urban and one rural 低保 standard per county, in whole yuan per person and month as
    published (as rules_vs_openfisca/population.py): urban 600–1500, rural 60–100% of it but at
    least 400. The shipped parameters cover a few example regions only."""
    urban = rng.integers(600, 1501, len(counties))
    rural = np.maximum(np.round(urban * rng.uniform(0.6, 1.0, len(counties))), 400)
    return pl.DataFrame(
        {
            "county": counties * 2,
            "area_type": ["urban"] * len(counties) + ["rural"] * len(counties),
            "yuan": np.concatenate([urban, rural]).astype(np.int64),
        }
    )


def _write_registry(workdir: Path, key: str, households, people, incomes, assets, recipients):
    # In slices: the digests go through a Python list, which costs far more memory than a column.
    slices = people.select("id_number").iter_slices(500_000)
    index = pl.concat([matching.blind_indexes(part["id_number"], key) for part in slices])
    files = {
        "registry_households": _conform(households, SCHEMAS["households"]),
        "registry_persons": _conform(
            people.with_columns(id_number_index=index), SCHEMAS["persons"]
        ),
        "registry_incomes": _conform(incomes, SCHEMAS["incomes"]),
        "registry_assets": _conform(assets, SCHEMAS["assets"] | {"registration": pl.Utf8}),
        "registry_identities": people.select("person_id", "id_number", "name"),
        "recipients": recipients,
    }
    for name, frame in files.items():
        frame.write_parquet(workdir / f"{name}.parquet")
    return {name: frame.height for name, frame in files.items()}


def _conform(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=5_000_000)
    parser.add_argument("--feed-rows", type=int, default=10_000_000)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--key", default=DEFAULT_KEY, help="the BLIND_INDEX_KEY to index with")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.persons, args.feed_rows, args.key, args.workdir, args.seed)
    seconds = round(time.perf_counter() - started, 1)
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps({"counts": counts, "seconds": seconds, "peak_rss_mib": peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
