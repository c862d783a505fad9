"""The evaluation plan: every step from the registry's facts to each program's result, for a
date and a choice of programs, built once and run by either executor (rules/steps.py).

Programs (policies/programs/) stay plain functions adding Polars expressions to a frame; the plan
records the expressions they add (`traced`) instead of running them, so the frame executor
chains them on a lazy frame exactly as before and the row executor compiles the same
expressions to Python. The stages: persons (age, counted, own income, supporters), households
(members, income, assets, parameters, deductions, assets test), household programs, person
programs reading their household's results, household programs reading their members' results.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import polars as pl

from minzheng.policies.programs import HOUSEHOLD, PERSON, Program, registered
from minzheng.rules import assessment
from minzheng.rules.row_code import output_name
from minzheng.rules.steps import (
    HOUSEHOLDS,
    PERSONS,
    Bind,
    Context,
    Defaults,
    Derive,
    Step,
    Summarise,
)

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


@dataclass(frozen=True, eq=False)
class Plan:
    as_of: date
    programs: tuple[Program, ...]  # in force on as_of: the ones the results explain
    steps: tuple[Step, ...]
    parameters: tuple[str, ...]  # every parameter bound to the households
    person_parameters: tuple[str, ...]  # those the person programs read


def plan_for(as_of: date, programs=None) -> Plan:
    return _plan(as_of, None if programs is None else tuple(programs))


@lru_cache(maxsize=64)
def _plan(as_of: date, codes: tuple[str, ...] | None) -> Plan:
    chosen = registered(codes)
    active = tuple(p for p in chosen if p.in_force(as_of))  # the law as it stood that day
    household_steps = [
        Defaults(HOUSEHOLDS, assessment.HOUSEHOLD_DEFAULTS),
        *assessment.COUNTED_MEMBERS,
        assessment.ASSET_SUMS,
        Bind(),
        *traced(HOUSEHOLDS, assessment.assessed_income, "assessed_income"),
        *traced(HOUSEHOLDS, assessment.assets_test, "assets_test"),
        *_programs(chosen, HOUSEHOLD, 1, as_of),
    ]
    produced = _produced(household_steps)
    sums = _household_sums(active, as_of)
    shared = tuple(c for c in HOUSEHOLD_CONTEXT if c in produced)
    steps = (
        *_person_facts(as_of),
        *household_steps,
        *sums,
        Context(shared + tuple(output_name(e) for step in sums for e in step.sums)),
        *_programs(chosen, PERSON, 2, as_of),
        _member_results(active),
        *_programs(chosen, HOUSEHOLD, 3, as_of),
    )
    return Plan(
        as_of,
        active,
        steps,
        _names(ASSESSMENT_PARAMETERS, active),
        _names(("dibao.standard",), tuple(p for p in active if p.level == PERSON)),
    )


def traced(table: str, function, name: str) -> list[Derive]:
    """The `with_columns` batches `function(frame)` adds, one step each, in order."""
    recorder = _Recorder()
    function(recorder)
    return [Derive(table, batch, f"{name}_{i}") for i, batch in enumerate(recorder.batches)]


class _Recorder:
    """A stand-in frame: programs may only add columns (`with_columns`), nothing else."""

    def __init__(self) -> None:
        self.batches: list[tuple[pl.Expr, ...]] = []

    def with_columns(self, *columns, **named) -> "_Recorder":
        flat = [c for item in columns for c in (item if isinstance(item, list | tuple) else [item])]
        self.batches.append((*flat, *(e.alias(n) for n, e in named.items())))
        return self

    def __getattr__(self, name: str):
        raise TypeError(f"规则代码只能用 with_columns 增加列，不能调用 {name}")


def _person_facts(as_of: date) -> tuple[Step, ...]:
    return (
        Defaults(PERSONS, assessment.PERSON_DEFAULTS),
        Derive(PERSONS, assessment.person_facts(as_of), "person_facts"),
        assessment.OWN_INCOME,
        Derive(PERSONS, (assessment.OWN_INCOME_FEN,), "own_income_fen"),
        *assessment.SUPPORTERS,
    )


def _programs(programs, level: str, stage: int, as_of: date) -> list[Derive]:
    table = PERSONS if level == PERSON else HOUSEHOLDS
    steps: list[Derive] = []
    for program in programs:
        if program.level == level and program.stage == stage:
            if program.in_force(as_of):
                steps += traced(table, lambda frame, p=program: p.apply(frame, as_of), program.code)
            else:
                steps += traced(table, program.absent, f"{program.code}_absent")
    return steps


def _household_sums(active: tuple[Program, ...], as_of: date) -> tuple[Summarise, ...]:
    """The totals over their members that person programs read (Program.household_sums)."""
    sums = tuple(
        expression
        for program in active
        if program.level == PERSON and program.household_sums is not None
        for expression in program.household_sums(as_of)
    )
    if not sums:
        return ()
    return (Summarise(PERSONS, HOUSEHOLDS, "household_id", sums, name="member_totals"),)


def _member_results(active: tuple[Program, ...]) -> Summarise:
    """What household programs of stage 3 read from the members' results."""
    has_tekun = any(p.eligible == "tekun_eligible" for p in active)
    tekun = pl.col("tekun_eligible") if has_tekun else pl.lit(False)
    return Summarise(
        PERSONS, HOUSEHOLDS, "household_id", (tekun.alias("tekun_members"),), name="member_results"
    )


def _produced(steps) -> set[str]:
    names: set[str] = set()
    for step in steps:
        if isinstance(step, Derive):
            names.update(output_name(e) for e in step.columns)
        elif isinstance(step, Summarise):
            names.update(output_name(e) for e in step.sums)
    return names


def _names(first: tuple[str, ...], programs: tuple[Program, ...]) -> tuple[str, ...]:
    names = dict.fromkeys(first)
    for program in programs:
        names.update(dict.fromkeys(program.parameters))
    return tuple(names)
