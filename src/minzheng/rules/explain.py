"""One household's evaluation as a JSON-ready explanation: for each program, whether it applies
(to the household or to which members), the amount, each criterion's value, and the parameters
used with their value, region, effective date and reference, and the formula version.

This is what the screening panel shows, what the API returns and what a decision snapshot stores.
"""

from datetime import date

import polars as pl

from minzheng.policies.programs import HOUSEHOLD, Program
from minzheng.rules.evaluate import Evaluation

HOUSEHOLD_FACTS = (
    "members",
    "gross_income_fen",
    "deduction_fen",
    "income_fen",
    "deposits_fen",
    "vehicles",
    "dwellings",
    "businesses",
)


def explain(evaluation: Evaluation, household_id: int = 0) -> dict:
    home = evaluation.household(household_id)
    people = evaluation.members(household_id)
    parameters = _parameters_for(evaluation.resolutions(), home["region_code"], home["area_type"])
    programs = [
        _program(p, home, people, parameters, evaluation.as_of) for p in evaluation.programs
    ]
    return {
        "as_of": evaluation.as_of.isoformat(),
        "region_code": home["region_code"],
        "area_type": home["area_type"],
        "facts": {name: home[name] for name in HOUSEHOLD_FACTS},
        "programs": programs,
        "eligible": [p["code"] for p in programs if p["eligible"]],
        "monthly_total_fen": sum(p["amount_fen"] for p in programs if p["amount_fen"]),
    }


def _program(
    program: Program, home: dict, people: list[dict], parameters: dict, as_of: date
) -> dict:
    shared = {
        "code": program.code,
        "label": program.label,
        "level": program.level,
        "formula_version": program.version(as_of),
        "references": list(program.references),
        "parameters": [parameters[name] for name in program.parameters],
    }
    if program.level == HOUSEHOLD:
        amount = home[program.amount] if program.amount else None
        return shared | {
            "eligible": bool(home[program.eligible]),
            "amount_fen": amount,
            "criteria": _criteria(program, home),
        }
    members = [
        {
            "member": index,
            "eligible": bool(row[program.eligible]),
            "amount_fen": row[program.amount] if program.amount else None,
            "criteria": _criteria(program, row),
        }
        for index, row in enumerate(people)
    ]
    paid = [m for m in members if m["eligible"]]
    return shared | {
        "eligible": bool(paid),
        "amount_fen": sum(m["amount_fen"] or 0 for m in paid) if program.amount else None,
        "members": members,
    }


def _parameters_for(used: list[dict], region_code: str, area: str) -> dict[str, dict]:
    """Each parameter's resolution for this household: of the resolutions the evaluation used,
    the one from the most specific region containing the household (the one resolve chose)."""
    chosen: dict[str, dict] = {}
    for row in used:
        if not region_code.startswith(row["source_region"]):
            continue
        if row["area_type"] not in (None, area):
            continue
        held = chosen.get(row["parameter"])
        if held is None or len(row["source_region"]) > len(held["region"]):
            chosen[row["parameter"]] = _parameter(row)
    return chosen


def _criteria(program: Program, row: dict) -> list[dict]:
    return [
        {"key": key, "label": label, "value": _plain(row[key])}
        for key, label in program.criteria.items()
    ]


def _parameter(row: dict) -> dict:
    return {
        "name": row["parameter"],
        "label": row["label"],
        "value": row["value"],
        "unit": row["unit"],
        "region": row["source_region"],
        "effective_from": row["effective_from"].isoformat(),
        "reference": row["reference"],
    }


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def household_summary(evaluation: Evaluation) -> pl.DataFrame:
    """One row per household for batch outputs and comparisons: each household program's
    eligibility and amount, and for each person program how many members qualify and the sum
    of their amounts."""
    per_person = [
        agg
        for p in evaluation.programs
        if p.level != HOUSEHOLD
        for agg in (
            pl.col(p.eligible).sum().cast(pl.Int64).alias(f"{p.code}_members"),
            (pl.col(p.amount).sum() if p.amount else pl.lit(0))
            .cast(pl.Int64)
            .alias(f"{p.code}_amount_fen"),
        )
    ]
    household_columns = [
        column
        for p in evaluation.programs
        if p.level == HOUSEHOLD
        for column in (
            pl.col(p.eligible).alias(f"{p.code}_eligible"),
            (pl.col(p.amount) if p.amount else pl.lit(0, pl.Int64)).alias(f"{p.code}_amount_fen"),
        )
    ]
    # Only members with some person program count: the others add 0 to every sum (and their
    # households get 0 below), and grouping the few is many times faster than all persons.
    counts = [
        pl.col(p.eligible).fill_null(False) | (pl.col(p.amount).fill_null(0) != 0)
        if p.amount
        else pl.col(p.eligible).fill_null(False)
        for p in evaluation.programs
        if p.level != HOUSEHOLD
    ]
    counted = evaluation.persons.filter(pl.any_horizontal(counts)) if counts else None
    members = (counted if counts else evaluation.persons).group_by("household_id").agg(per_person)
    return (
        evaluation.households.select("household_id", *HOUSEHOLD_FACTS, *household_columns)
        .join(members, on="household_id", how="left")
        .with_columns(pl.col(r"^.*_(members|amount_fen)$").fill_null(0))
        .sort("household_id")
    )
