"""Evaluating households against the programs, on Polars frames: one household or millions.

Input frames have the registry snapshot's shape (registry/snapshot.py): households, persons and
incomes, money in integer fen. Parameters are resolved once per distinct (region, urban/rural)
pair and joined, so county-level standards cost nothing per household. Thresholds compare in
integers without dividing (total < standard × n), as ARCHITECTURE §4 requires.

The first programs are 低保 and 低保边缘; each result row carries its explanation: members
counted, income, the standard with its region, start date and reference, and each criterion.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from minzheng.rules.parameters import Parameter, resolve

FORMULA_VERSION = "dibao-2021.1"  # 民发〔2021〕57号: 差额 = standard × n − total income


@dataclass(frozen=True)
class Frames:
    households: pl.DataFrame  # household_id, region_code, area_type
    persons: pl.DataFrame  # household_id, co_resident, exclusion
    incomes: pl.DataFrame  # person_id, household_id, period, amount_fen, excluded


def evaluate(frames: Frames, as_of: date, parameters: dict[str, Parameter]) -> pl.DataFrame:
    """One row per household: 低保 and 低保边缘 eligibility, amount and explanation."""
    assessed = assess_income(frames)
    with_parameters = _join_parameters(assessed, as_of, parameters)
    return _dibao(with_parameters).with_columns(
        pl.lit(as_of).alias("as_of"), pl.lit(FORMULA_VERSION).alias("formula_version")
    )


def assess_income(frames: Frames) -> pl.DataFrame:
    """Members counted (co-resident, no statutory exclusion) and their monthly income in fen.

    Monthly items are summed; annual items are summed once and divided by 12 once, rounding
    half up to the fen, never rebuilt from rounded monthly values.
    """
    counted = frames.persons.filter(pl.col("co_resident") & (pl.col("exclusion") == ""))
    members = counted.group_by("household_id").agg(pl.len().cast(pl.Int64).alias("members"))
    items = frames.incomes.filter(~pl.col("excluded")).join(
        counted.select("person_id"), on="person_id", how="semi"
    )
    sums = items.group_by("household_id").agg(
        pl.col("amount_fen").filter(pl.col("period") == "monthly").sum().alias("monthly_fen"),
        pl.col("amount_fen").filter(pl.col("period") == "annual").sum().alias("annual_fen"),
    )
    return (
        frames.households.select("household_id", "region_code", "area_type")
        .join(members, on="household_id", how="left")
        .join(sums, on="household_id", how="left")
        .with_columns(pl.col("members", "monthly_fen", "annual_fen").fill_null(0))
        .with_columns(
            (pl.col("monthly_fen") + (pl.col("annual_fen") * 2 + 12) // 24).alias("income_fen")
        )
    )


def _join_parameters(
    frame: pl.DataFrame, as_of: date, parameters: dict[str, Parameter]
) -> pl.DataFrame:
    keys = frame.select("region_code", "area_type").unique()
    rows = [_parameters_for(region, area, as_of, parameters) for region, area in keys.iter_rows()]
    table = pl.DataFrame(rows, schema=_PARAMETER_SCHEMA, orient="row")
    return frame.join(table, on=["region_code", "area_type"], how="left")


_PARAMETER_SCHEMA = {
    "region_code": pl.Utf8,
    "area_type": pl.Utf8,
    "standard_fen": pl.Int64,
    "standard_region": pl.Utf8,
    "standard_from": pl.Date,
    "standard_reference": pl.Utf8,
    "edge_numerator": pl.Int64,
    "edge_denominator": pl.Int64,
    "edge_multiplier": pl.Utf8,
}


def _parameters_for(region: str, area: str, as_of: date, parameters: dict[str, Parameter]) -> tuple:
    standard = resolve(parameters["dibao.standard"], as_of, region, area)
    edge = resolve(parameters["dibao.edge_multiplier"], as_of, region).value
    numerator, denominator = Decimal(edge).as_integer_ratio()
    return (
        region,
        area,
        int(standard.value * 100),
        standard.region,
        standard.start,
        standard.reference,
        numerator,
        denominator,
        str(edge),
    )


def _dibao(frame: pl.DataFrame) -> pl.DataFrame:
    line = pl.col("standard_fen") * pl.col("members")
    below_standard = (pl.col("members") > 0) & (pl.col("income_fen") < line)
    below_edge = pl.col("income_fen") * pl.col("edge_denominator") < (
        line * pl.col("edge_numerator")
    )
    return frame.with_columns(
        below_standard.alias("dibao_eligible"),
        pl.when(below_standard)
        .then(line - pl.col("income_fen"))
        .otherwise(0)
        .alias("dibao_amount_fen"),
        (~below_standard & below_edge & (pl.col("members") > 0)).alias("dibao_edge_eligible"),
    )


def frames_for_one(household: dict) -> Frames:
    """A single household (as posted for a what-if, or read from the registry) as frames, so
    the one-household path runs exactly the batch code.

    `household`: {"region_code", "area_type", "members": [{"co_resident", "exclusion",
    "incomes": [{"period", "amount_fen", "excluded"}]}]}.
    """
    members = household["members"]
    persons = pl.DataFrame(
        {
            "person_id": list(range(len(members))),
            "household_id": [0] * len(members),
            "co_resident": [bool(m.get("co_resident", True)) for m in members],
            "exclusion": [m.get("exclusion", "") or "" for m in members],
        },
        schema={
            "person_id": pl.Int64,
            "household_id": pl.Int64,
            "co_resident": pl.Boolean,
            "exclusion": pl.Utf8,
        },
    )
    incomes = pl.DataFrame(
        [
            (
                index,
                0,
                item.get("period", "monthly"),
                int(item["amount_fen"]),
                bool(item.get("excluded", False)),
            )
            for index, member in enumerate(members)
            for item in member.get("incomes", [])
        ],
        schema={
            "person_id": pl.Int64,
            "household_id": pl.Int64,
            "period": pl.Utf8,
            "amount_fen": pl.Int64,
            "excluded": pl.Boolean,
        },
        orient="row",
    )
    households = pl.DataFrame(
        {
            "household_id": [0],
            "region_code": [household["region_code"]],
            "area_type": [household["area_type"]],
        }
    )
    return Frames(households, persons, incomes)
