"""Evaluating households against every program: millions on Polars frames, one in Python rows.

Both go through the same plan (rules/plan.py): the programs' expressions, the assessment and
the parameters bound to each household's region. `evaluate` runs it on frames of the registry
snapshot's shape (registry/snapshot.py, money in integer fen); `evaluate_one` runs it on one
household's facts (rules/facts.py) with the expressions compiled to Python, which takes well
under a millisecond where Polars' fixed cost per plan step adds up to ten. Tests prove both give
the same results (tests/rules/test_parity.py, and every scenario runs both ways).
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import polars as pl

from minzheng.policies.programs import Program
from minzheng.rules import on_frames, on_rows
from minzheng.rules.assessment import Frames
from minzheng.rules.bindings import EXPLANATION_SCHEMA, Bound, bound_for, columns_of
from minzheng.rules.facts import empty_frames, rows_of
from minzheng.rules.parameters import Parameter
from minzheng.rules.plan import Plan, plan_for
from minzheng.rules.steps import HOUSEHOLDS, PERSONS

__all__ = ["Evaluation", "Frames", "evaluate", "evaluate_one"]


class Evaluation:
    """One row per household (facts, criteria, eligibility, amounts) and per person (the person
    programs' criteria and amounts), and the parameter resolutions used (EXPLANATION_SCHEMA)."""

    as_of: date
    programs: tuple[Program, ...]
    households: pl.DataFrame
    persons: pl.DataFrame
    parameters: pl.DataFrame  # per (region_code, area_type): each parameter value used

    def versions(self) -> dict[str, str]:
        return {p.code: p.version(self.as_of) for p in self.programs}

    def household(self, household_id: int) -> dict:
        homes = self.households
        if homes.height > 1:  # one household out of a batch
            homes = homes.filter(pl.col("household_id") == household_id)
        return homes.row(0, named=True)

    def members(self, household_id: int) -> list[dict]:
        people = self.persons
        if self.households.height > 1:
            people = people.filter(pl.col("household_id") == household_id)
        return people.sort("person_id").rows(named=True)

    def resolutions(self) -> list[dict]:
        return self.parameters.rows(named=True)


@dataclass(frozen=True, eq=False)
class FrameEvaluation(Evaluation):
    as_of: date
    programs: tuple[Program, ...]
    households: pl.DataFrame
    persons: pl.DataFrame
    bound: Bound

    @cached_property
    def parameters(self) -> pl.DataFrame:  # built when read: a region's batch rarely does
        return self.bound.explained()


@dataclass(frozen=True, eq=False)
class RowEvaluation(Evaluation):
    """Computed on rows (evaluate_one); the frames are built only when asked for."""

    as_of: date
    programs: tuple[Program, ...]
    rows: dict[str, list[dict]]
    bound: Bound
    plan: Plan
    tree: dict[str, Parameter]

    @cached_property
    def households(self) -> pl.DataFrame:
        return self._frame(HOUSEHOLDS)

    @cached_property
    def persons(self) -> pl.DataFrame:
        return self._frame(PERSONS)

    @cached_property
    def parameters(self) -> pl.DataFrame:
        return self.bound.explained()

    def household(self, household_id: int) -> dict:
        return next(h for h in self.rows[HOUSEHOLDS] if h["household_id"] == household_id)

    def members(self, household_id: int) -> list[dict]:
        people = [p for p in self.rows[PERSONS] if p["household_id"] == household_id]
        return sorted(people, key=lambda p: p["person_id"])

    def resolutions(self) -> list[dict]:
        names = tuple(EXPLANATION_SCHEMA)
        return [dict(zip(names, row, strict=True)) for row in self.bound.resolutions]

    def _frame(self, table: str) -> pl.DataFrame:
        schema = _schemas(self.plan, self.tree)[table]
        return pl.DataFrame(self.rows[table], schema=schema, orient="row")


def evaluate(
    frames: Frames,
    as_of: date,
    parameters: dict[str, Parameter],
    programs=None,
) -> Evaluation:
    plan = plan_for(as_of, programs)
    households, persons, bound = on_frames.run(plan, frames, parameters)
    return FrameEvaluation(as_of, plan.programs, households, persons, bound)


def evaluate_one(
    facts: dict, as_of: date, parameters: dict[str, Parameter], programs=None
) -> Evaluation:
    """One household given as facts (rules/facts.py): the case screen, the API, snapshots."""
    plan = plan_for(as_of, programs)
    key = (facts["region_code"], facts["area_type"])
    bound = bound_for(plan, key, lambda: [key], parameters)
    rows = rows_of(facts)
    on_rows.run(plan, rows, bound, columns_of(plan.person_parameters, parameters))
    return RowEvaluation(as_of, plan.programs, rows, bound, plan, parameters)


_SCHEMAS: dict[tuple, dict[str, pl.Schema]] = {}


def _schemas(plan: Plan, tree: dict[str, Parameter]) -> dict[str, pl.Schema]:
    """The frame executor's column types for this plan and these parameters' kinds, from a run
    on no households; kept per plan (plans are few: a date and a choice of programs each)."""
    key = (plan, tuple(columns_of(plan.parameters, tree)))
    if key not in _SCHEMAS:
        if len(_SCHEMAS) >= 128:
            _SCHEMAS.clear()
        households, persons, _ = on_frames.run(plan, empty_frames(), tree)
        _SCHEMAS[key] = {HOUSEHOLDS: households.schema, PERSONS: persons.schema}
    return _SCHEMAS[key]
