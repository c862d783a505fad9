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
    columns = [
        "household_no",
        "id_number",
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
    ]
    for part in _chunks(frame, chunk):
        rows = []
        for (
            household_no,
            id_number,
            name,
            sex,
            birth,
            relation,
            phone,
            dis_cat,
            dis_grade,
            capacity,
            illness,
            employed,
            father,
            mother,
        ) in part.select(columns).iter_rows():
            village = household_no[:12]  # household numbers start with their village code
            rows.append(
                (
                    person_ids[id_number],
                    household_ids[household_no],
                    village,
                    crypto.encrypt(id_number),
                    crypto.blind_index(id_number, "id_number"),
                    name,
                    sex,
                    birth,
                    relation,
                    crypto.encrypt(phone) if phone else "",
                    dis_cat or "",
                    dis_grade,
                    capacity,
                    illness,
                    employed,
                    father or "",
                    mother or "",
                    1,
                )
            )
        done += insert_rows(Person._meta.db_table, PERSON_COLUMNS, rows)
        progress("persons", done, frame.height)
    return person_ids


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
