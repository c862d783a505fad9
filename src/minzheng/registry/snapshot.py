"""Bulk reads of the registry into Polars frames, for batch jobs (screening, re-evaluation,
monitoring). Plain SQL in chunks, no model instances: a province's millions of persons load
in seconds. Money is integer fen (Int64), as batch rules compare it without dividing.
Sensitive columns are not decrypted; the ID number's blind index joins with department feeds.
Each query names its columns as SCHEMAS does: the Spark runner sends the same queries over JDBC.
"""

from dataclasses import dataclass

import polars as pl

from minzheng.kit.bulk import read_frame
from minzheng.regions import codes

HOUSEHOLD_SQL = """
    SELECT h.id AS household_id, h.number, h.region_id AS region_code, h.area_type, h.status
    FROM registry_household h WHERE h.region_id LIKE %s AND h.status = 'active'"""
PERSON_SQL = """
    SELECT p.id AS person_id, p.household_id, p.region_id AS region_code, p.id_number_index,
           p.sex, p.birth_date,
           p.relation, p.co_resident, p.exclusion, p.disability_category, p.disability_grade,
           p.labour_capacity, p.serious_illness, p.employed, p.student_status,
           p.father_situation, p.mother_situation,
           (SELECT CAST(s.eating AS INTEGER) + CAST(s.dressing AS INTEGER)
                   + CAST(s.transfer AS INTEGER) + CAST(s.toileting AS INTEGER)
                   + CAST(s.walking AS INTEGER) + CAST(s.bathing AS INTEGER)
            FROM registry_selfcareassessment s WHERE s.person_id = p.id
            ORDER BY s.assessed_on DESC, s.id DESC LIMIT 1) AS self_care_unable
    FROM registry_person p JOIN registry_household h ON h.id = p.household_id
    WHERE p.region_id LIKE %s AND h.status = 'active' AND p.died_on IS NULL
      AND p.moved_out_on IS NULL"""
INCOME_SQL = """
    SELECT i.person_id, p.household_id, i.category, i.period,
           CAST(ROUND(i.amount * 100) AS BIGINT) AS amount_fen, i.excluded
    FROM registry_incomeitem i JOIN registry_person p ON p.id = i.person_id
    WHERE p.region_id LIKE %s"""
ASSET_SQL = """
    SELECT a.household_id, a.kind, CAST(ROUND(a.value * 100) AS BIGINT) AS value_fen
    FROM registry_asset a JOIN registry_household h ON h.id = a.household_id
    WHERE h.region_id LIKE %s"""
SUPPORTER_SQL = """
    SELECT s.household_id, s.supported_id, s.duty,
           CAST(ROUND(s.monthly_income * 100) AS BIGINT) AS monthly_income_fen, s.condition
    FROM registry_supporter s JOIN registry_household h ON h.id = s.household_id
    WHERE h.region_id LIKE %s"""

# the id range of a region's households (the Spark runner reads them in ranges over JDBC)
HOUSEHOLD_BOUNDS_SQL = "SELECT MIN(id), MAX(id) FROM registry_household WHERE region_id LIKE %s"

SCHEMAS = {
    "households": {
        "household_id": pl.Int64,
        "number": pl.Utf8,
        "region_code": pl.Utf8,
        "area_type": pl.Utf8,
        "status": pl.Utf8,
    },
    "persons": {
        "person_id": pl.Int64,
        "household_id": pl.Int64,
        "region_code": pl.Utf8,
        "id_number_index": pl.Utf8,
        "sex": pl.Utf8,
        "birth_date": pl.Date,
        "relation": pl.Utf8,
        "co_resident": pl.Boolean,
        "exclusion": pl.Utf8,
        "disability_category": pl.Utf8,
        "disability_grade": pl.Int8,
        "labour_capacity": pl.Utf8,
        "serious_illness": pl.Boolean,
        "employed": pl.Boolean,
        "student_status": pl.Utf8,
        "father_situation": pl.Utf8,
        "mother_situation": pl.Utf8,
        "self_care_unable": pl.Int8,  # items failed in the latest self-care assessment
    },
    "incomes": {
        "person_id": pl.Int64,
        "household_id": pl.Int64,
        "category": pl.Utf8,
        "period": pl.Utf8,
        "amount_fen": pl.Int64,
        "excluded": pl.Boolean,
    },
    "assets": {"household_id": pl.Int64, "kind": pl.Utf8, "value_fen": pl.Int64},
    "supporters": {
        "household_id": pl.Int64,
        "supported_id": pl.Int64,
        "duty": pl.Utf8,
        "monthly_income_fen": pl.Int64,
        "condition": pl.Utf8,
    },
}
SQL = {
    "households": HOUSEHOLD_SQL,
    "persons": PERSON_SQL,
    "incomes": INCOME_SQL,
    "assets": ASSET_SQL,
    "supporters": SUPPORTER_SQL,
}


@dataclass(frozen=True)
class RegistrySnapshot:
    households: pl.DataFrame
    persons: pl.DataFrame
    incomes: pl.DataFrame
    assets: pl.DataFrame
    supporters: pl.DataFrame


def snapshot(region_code: str) -> RegistrySnapshot:
    """Every active household of `region_code` (any level) and what hangs off it."""
    pattern = codes.prefix_of(codes.normalize_code(region_code)) + "%"
    return RegistrySnapshot(
        **{name: read_frame(SQL[name], [pattern], SCHEMAS[name]) for name in SQL}
    )
