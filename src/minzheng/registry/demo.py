"""Writing a synthetic population (see synthetic.py) into the registry tables in bulk.

Used by `minzheng demo` for the demo county and by the generator benchmark for millions of
persons. IDs are assigned here so persons can point at their households without a read-back.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from django.db import transaction
from django.utils import timezone

from minzheng.audit.services import record
from minzheng.kit import crypto
from minzheng.kit.bulk import insert_rows, next_id, reset_sequences
from minzheng.registry.models import Household, IncomeItem, Person
from minzheng.registry.synthetic import Population

Progress = Callable[[str, int, int], None]

HOUSEHOLD_COLUMNS = [
    "id",
    "number",
    "region_id",
    "address",
    "area_type",
    "status",
    "version",
    "created_at",
    "updated_at",
]
PERSON_COLUMNS = [
    "id",
    "household_id",
    "region_id",
    "id_number",
    "id_number_index",
    "name",
    "sex",
    "birth_date",
    "relation",
    "phone",
    "disability_category",
    "disability_grade",
    "labour_capacity",
    "serious_illness",
    "employed",
    "father_situation",
    "mother_situation",
    "version",
]
INCOME_COLUMNS = ["person_id", "category", "period", "amount", "excluded"]


@dataclass(frozen=True)
class LoadCounts:
    households: int
    persons: int
    incomes: int


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def write_population(
    population: Population, *, progress: Progress = _quiet, chunk: int = 20_000
) -> LoadCounts:
    """Insert households, persons and income items; one transaction, one audit event."""
    with transaction.atomic():
        household_ids = _write_households(population.households, progress, chunk)
        person_ids = _write_persons(population.persons, household_ids, progress, chunk)
        incomes = _write_incomes(population.incomes, person_ids, progress, chunk)
        reset_sequences(Household, Person, IncomeItem)
        counts = LoadCounts(len(household_ids), len(person_ids), incomes)
        record(
            "registry.bulk_loaded",
            object_type="household",
            after={
                "households": counts.households,
                "persons": counts.persons,
                "incomes": counts.incomes,
            },
            reason="synthetic demo data",
        )
    return counts


def _chunks(frame: pl.DataFrame, chunk: int) -> Iterator[pl.DataFrame]:
    for start in range(0, frame.height, chunk):
        yield frame.slice(start, chunk)


def _write_households(frame: pl.DataFrame, progress: Progress, chunk: int) -> dict[str, int]:
    first = next_id(Household._meta.db_table)
    now = timezone.now()
    ids = dict(
        zip(frame["household_no"].to_list(), range(first, first + frame.height), strict=True)
    )
    done = 0
    for part in _chunks(frame, chunk):
        rows = (
            (ids[no], no, village, address, area, "active", 1, now, now)
            for no, village, address, area in part.select(
                "household_no", "village_code", "address", "area_type"
            ).iter_rows()
        )
        done += insert_rows(Household._meta.db_table, HOUSEHOLD_COLUMNS, rows)
        progress("households", done, frame.height)
    return ids


def _write_persons(
    frame: pl.DataFrame, household_ids: dict[str, int], progress: Progress, chunk: int
) -> dict[str, int]:
    first = next_id(Person._meta.db_table)
    person_ids = dict(
        zip(frame["id_number"].to_list(), range(first, first + frame.height), strict=True)
    )
    done = 0
    for offset, part in zip(
        range(first, first + frame.height, chunk), _chunks(frame, chunk), strict=True
    ):
        rows = _person_rows(part, offset, household_ids)
        done += insert_rows(Person._meta.db_table, PERSON_COLUMNS, rows)
        progress("persons", done, frame.height)
    return person_ids


def _person_rows(part: pl.DataFrame, first_id: int, household_ids: dict[str, int]):
    """Database rows in PERSON_COLUMNS order; sensitive values sealed one by one (AES-GCM)."""
    id_numbers, phones = part["id_number"].to_list(), part["phone"].to_list()
    return (
        part.select(
            pl.int_range(first_id, first_id + part.height).alias("id"),
            pl.col("household_no")
            .replace_strict(household_ids, return_dtype=pl.Int64)
            .alias("household_id"),
            # household numbers start with their village's code
            pl.col("household_no").str.slice(0, 12).alias("region_id"),
            pl.Series("id_number", [crypto.encrypt(v) for v in id_numbers]),
            pl.Series("id_number_index", [crypto.blind_index(v, "id_number") for v in id_numbers]),
            pl.Series("phone", [crypto.encrypt(v) if v else "" for v in phones], dtype=pl.Utf8),
            pl.col("disability_category", "father_situation", "mother_situation").fill_null(""),
            pl.lit(1).alias("version"),
            pl.all().exclude(
                "household_no",
                "id_number",
                "phone",
                "disability_category",
                "father_situation",
                "mother_situation",
            ),
        )
        .select(PERSON_COLUMNS)
        .iter_rows()
    )


def _write_incomes(
    frame: pl.DataFrame, person_ids: dict[str, int], progress: Progress, chunk: int
) -> int:
    done = 0
    for part in _chunks(frame, chunk):
        rows = (
            (person_ids[id_number], category, period, Decimal(fen) / 100, excluded)
            for id_number, category, period, fen, excluded in part.select(
                "id_number", "category", "period", "amount_fen", "excluded"
            ).iter_rows()
        )
        done += insert_rows(IncomeItem._meta.db_table, INCOME_COLUMNS, rows)
        progress("incomes", done, frame.height)
    return done
