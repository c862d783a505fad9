"""Evaluating households against every program, on Polars frames: one household or millions.

Input frames have the registry snapshot's shape (registry/snapshot.py), money in integer fen.
Parameters are resolved once per distinct (region, urban/rural) pair and joined, so
county-level standards cost nothing per household. Programs (policies/programs/) run in three
stages: household programs, person programs that read their household's results, household
programs that read their members' results. Each result row carries its criteria; the parameters
used, with their region, start date and reference, are in `Evaluation.parameters`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl

from minzheng.policies.programs import HOUSEHOLD, PERSON, Program, registered
from minzheng.rules import assessment
from minzheng.rules.assessment import Frames
from minzheng.rules.bindings import bind, column, kind_of
from minzheng.rules.parameters import Parameter

__all__ = ["Evaluation", "Frames", "evaluate"]

# Parameters the shared assessment reads (deductions, assets test) besides the programs' own.
ASSESSMENT_PARAMETERS = (
    "dibao.standard",
    "dibao.employment_cost_share",
    "dibao.deduct_medical",
    "dibao.assets.deposit_months",
    "dibao.assets.vehicles_allowed",
    "dibao.assets.dwellings_allowed",
    "dibao.assets.businesses_allowed",
)
# Household results person programs read.
HOUSEHOLD_CONTEXT = ("members", "assets_ok", "dibao_eligible", "dibao_edge_eligible")
# The query optimiser saves a little on a region (≈8% on a million persons) and costs more than
# all the work on one household: it runs only from this many households.
_SMALL = 1_000
BINDING_KEY = "_binding_region"


@dataclass(frozen=True)
class Evaluation:
    as_of: date
    households: pl.DataFrame  # one row per household: facts, criteria, eligibility, amounts
    persons: pl.DataFrame  # one row per person: the person programs' criteria and amounts
    parameters: pl.DataFrame  # per (region_code, area_type): each parameter value used
    programs: tuple[Program, ...]

    def versions(self) -> dict[str, str]:
        return {p.code: p.version(self.as_of) for p in self.programs}


def evaluate(
    frames: Frames,
    as_of: date,
    parameters: dict[str, Parameter],
    programs: Iterable[str] | None = None,
) -> Evaluation:
    """Three collected stages, each a linear lazy plan (a shared sub-plan would be re-run)."""
    chosen = registered(programs)
    active = tuple(p for p in chosen if p.in_force(as_of))  # the law as it stood that day
    names = _parameter_names(active)
    depth = max(parameters[name].prefix_lengths[0] for name in names)
    bound = bind(_keys(frames.households, depth), names, as_of, parameters)
    big = frames.households.height >= _SMALL
    people = _collect(_people(frames, as_of), big)
    homes = (
        assessment.households(frames, people.lazy())
        .with_columns(pl.col("region_code").str.slice(0, depth).alias(BINDING_KEY))
        .join(
            bound.varying.lazy().select(
                pl.col("region_code").str.slice(0, depth).alias(BINDING_KEY),
                pl.exclude("region_code"),
            ),
            on=[BINDING_KEY, "area_type"],
            how="left",
        )
        .drop(BINDING_KEY)
        .with_columns(bound.constant_columns())
    )
    homes = assessment.assets_test(assessment.assessed_income(homes))
    homes = _collect(_run(homes, chosen, HOUSEHOLD, 1, as_of), big)
    shared = [c for c in HOUSEHOLD_CONTEXT if c in homes.columns]
    wanted = _columns(active, PERSON, parameters)
    varying = [c for c in wanted if c not in bound.constants]
    context = homes.select("household_id", *shared, *varying)
    people = (
        people.lazy()
        .join(context.lazy(), on="household_id", how="left")
        .with_columns(bound.constant_columns(wanted))
    )
    people = _collect(_run(people, chosen, PERSON, 2, as_of), big)
    homes = homes.lazy().join(_member_results(people, chosen), on="household_id", how="left")
    homes = homes.with_columns(pl.col("tekun_members").fill_null(0))
    homes = _collect(_run(homes, chosen, HOUSEHOLD, 3, as_of), big)
    return Evaluation(as_of, homes, people, bound.explained, active)


def _collect(plan: pl.LazyFrame, big: bool) -> pl.DataFrame:
    flags = pl.QueryOptFlags() if big else pl.QueryOptFlags.none()
    return plan.collect(engine="in-memory", optimizations=flags)


def _keys(households: pl.DataFrame, depth: int) -> list[tuple[str, str]]:
    """The distinct (region prefix, area) pairs: a value depends on no more of the code than
    the longest prefix any used parameter has entries for (a county's villages share one)."""
    if households.height == 1:  # one household: its own code, which an error message names
        return [(households["region_code"][0], households["area_type"][0])]
    region = pl.col("region_code").str.slice(0, depth)
    return households.select(region, "area_type").unique().rows()


def _people(frames: Frames, as_of: date) -> pl.LazyFrame:
    people = assessment.persons(frames, as_of)
    if frames.supporters is None or frames.supporters.is_empty():
        return people.with_columns(pl.lit(False).alias("recorded_able_supporter"))
    able = frames.supporters.lazy().filter(pl.col("condition") == "able")
    named = (
        able.filter(pl.col("supported_id").is_not_null())
        .select(pl.col("supported_id").alias("person_id"), pl.lit(True).alias("named_supporter"))
        .unique("person_id")
    )
    whole = (
        able.filter(pl.col("supported_id").is_null())
        .select("household_id", pl.lit(True).alias("household_supporter"))
        .unique("household_id")
    )
    return (
        people.join(named, on="person_id", how="left")
        .join(whole, on="household_id", how="left")
        .with_columns(
            (
                pl.col("named_supporter").fill_null(False)
                | pl.col("household_supporter").fill_null(False)
            ).alias("recorded_able_supporter")
        )
        .drop("named_supporter", "household_supporter")
    )


def _parameter_names(programs: tuple[Program, ...]) -> list[str]:
    names = dict.fromkeys(ASSESSMENT_PARAMETERS)
    for program in programs:
        names.update(dict.fromkeys(program.parameters))
    return list(names)


def _columns(programs: tuple[Program, ...], level: str, tree: dict[str, Parameter]) -> list[str]:
    """The bound columns of the parameters the programs of `level` name."""
    wanted = dict.fromkeys(["dibao.standard"])
    for program in programs:
        if program.level == level:
            wanted.update(dict.fromkeys(program.parameters))
    found = []
    for name in wanted:
        base = column(name)
        found += [f"{base}_num", f"{base}_den"] if kind_of(tree[name]) == "ratio" else [base]
    return found


def _run(frame: pl.LazyFrame, programs, level: str, stage: int, as_of: date) -> pl.LazyFrame:
    for program in programs:
        if program.level == level and program.stage == stage:
            in_force = program.in_force(as_of)
            frame = program.apply(frame, as_of) if in_force else program.absent(frame)
    return frame


def _member_results(people: pl.DataFrame, programs: tuple[Program, ...]) -> pl.LazyFrame:
    """What household programs of stage 3 read from the members' results."""
    has_tekun = any(p.eligible == "tekun_eligible" for p in programs)
    tekun = pl.col("tekun_eligible") if has_tekun else pl.lit(False)
    return (
        people.lazy()
        .group_by("household_id")
        .agg(tekun.sum().cast(pl.Int64).alias("tekun_members"))
    )
