"""Writing households, persons and income items into the registry tables in bulk.

The spreadsheet import, the demo county and the generator benchmark all end here. Frames carry
the registry's own column names; any model column a frame lacks gets the model's default. IDs
are assigned here so persons can point at their households without a read-back.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import polars as pl
from django.db import transaction
from django.utils import timezone

from minzheng.audit.services import record
from minzheng.kit import crypto
from minzheng.kit.bulk import insert_rows, next_id, reset_sequences
from minzheng.kit.pinyin import name_pinyin
from minzheng.registry.events import Event
from minzheng.registry.models import Household, IncomeItem, Person
from minzheng.registry.synthetic import Population

Progress = Callable[[str, int, int], None]

ENCRYPTED = ("id_number", "phone", "bank_account", "disability_certificate")


def _columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def _defaults(model, frame: pl.DataFrame) -> list[pl.Expr]:
    """Literal columns for every model field the frame does not carry (its model default)."""
    expressions = []
    for field in model._meta.concrete_fields:
        if field.column in frame.columns or field.primary_key:
            continue
        default = field.get_default()
        expressions.append(pl.lit(default).alias(field.column))
    return expressions


@dataclass(frozen=True)
class LoadCounts:
    households: int
    persons: int
    incomes: int


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def write_population(
    population: Population,
    *,
    progress: Progress = _quiet,
    chunk: int = 20_000,
    audited_as: Event | None = Event.BULK_LOADED,
) -> LoadCounts:
    """Insert households, persons and income items in one transaction.

    Records `audited_as` with the counts; a caller that records its own event (the import,
    naming its user and file) passes None.
    """
    with transaction.atomic():
        household_ids = _write_households(population.households, progress, chunk)
        person_ids = _write_persons(population.persons, household_ids, progress, chunk)
        incomes = _write_incomes(population.incomes, person_ids, progress, chunk)
        reset_sequences(Household, Person, IncomeItem)
        counts = LoadCounts(len(household_ids), len(person_ids), incomes)
        if audited_as:
            record(
                audited_as,
                object_type="household",
                after={
                    "households": counts.households,
                    "persons": counts.persons,
                    "incomes": counts.incomes,
                },
            )
    return counts


def _chunks(frame: pl.DataFrame, chunk: int) -> Iterator[pl.DataFrame]:
    for start in range(0, frame.height, chunk):
        yield frame.slice(start, chunk)


def _write_households(frame: pl.DataFrame, progress: Progress, chunk: int) -> dict[str, int]:
    first = next_id(Household._meta.db_table)
    ids = dict(
        zip(frame["household_no"].to_list(), range(first, first + frame.height), strict=True)
    )
    now = timezone.now()
    done = 0
    for offset, part in _numbered_chunks(frame, first, chunk):
        rows = _model_rows(
            Household,
            part.rename({"household_no": "number", "village_code": "region_id"}).with_columns(
                pl.int_range(offset, offset + part.height).alias("id"),
                pl.lit(now).alias("created_at"),
                pl.lit(now).alias("updated_at"),
            ),
        )
        done += insert_rows(Household._meta.db_table, _columns(Household), rows)
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
    for offset, part in _numbered_chunks(frame, first, chunk):
        id_numbers = part["id_number"].to_list()
        pinyin = [name_pinyin(name) for name in part["name"].to_list()]
        sealed = [
            pl.Series(column, [crypto.encrypt(v) if v else "" for v in part[column]], pl.Utf8)
            for column in ENCRYPTED
            if column in part.columns
        ]
        rows = _model_rows(
            Person,
            part.with_columns(
                *sealed,
                pl.int_range(offset, offset + part.height).alias("id"),
                pl.col("household_no")
                .replace_strict(household_ids, return_dtype=pl.Int64)
                .alias("household_id"),
                # household numbers start with their village's code
                pl.col("household_no").str.slice(0, 12).alias("region_id"),
                pl.Series(
                    "id_number_index", [crypto.blind_index(v, "id_number") for v in id_numbers]
                ),
                pl.Series("name_pinyin", [full for full, _ in pinyin], pl.Utf8),
                pl.Series("name_initials", [initials for _, initials in pinyin], pl.Utf8),
            ),
        )
        done += insert_rows(Person._meta.db_table, _columns(Person), rows)
        progress("persons", done, frame.height)
    return person_ids


def _write_incomes(
    frame: pl.DataFrame, person_ids: dict[str, int], progress: Progress, chunk: int
) -> int:
    done = 0
    for part in _chunks(frame, chunk):
        rows = _model_rows(
            IncomeItem,
            part.with_columns(
                pl.col("id_number")
                .replace_strict(person_ids, return_dtype=pl.Int64)
                .alias("person_id"),
                (pl.col("amount_fen").cast(pl.Decimal(16, 2)) / 100).alias("amount"),
            ),
        )
        columns = [c for c in _columns(IncomeItem) if c != "id"]
        done += insert_rows(IncomeItem._meta.db_table, columns, rows)
        progress("incomes", done, frame.height)
    return done


def _numbered_chunks(frame: pl.DataFrame, first_id: int, chunk: int):
    return zip(range(first_id, first_id + frame.height, chunk), _chunks(frame, chunk), strict=True)


def _model_rows(model, frame: pl.DataFrame):
    """Rows in the model's column order: blanks for missing text, defaults for absent columns."""
    blank_text = [
        pl.col(f.column).fill_null("")
        for f in model._meta.concrete_fields
        if f.column in frame.columns and not f.null and f.get_internal_type() in _TEXT_TYPES
    ]
    frame = frame.with_columns(blank_text) if blank_text else frame
    frame = frame.with_columns(_defaults(model, frame))
    columns = [c for c in _columns(model) if c in frame.columns]
    return frame.select(columns).iter_rows()


_TEXT_TYPES = {"CharField", "TextField"}
