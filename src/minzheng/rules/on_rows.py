"""Running an evaluation plan on Python rows: one household in a case screen or an API call.

The same plan as on_frames.py, with each step's expressions compiled once to Python
(rules/row_code.py) and run over the rows, a dict per person and per household. A step's
compiled form is kept as long as its plan is cached.
"""

from operator import add
from weakref import WeakKeyDictionary

import polars as pl

from minzheng.rules.bindings import Bound
from minzheng.rules.plan import Plan
from minzheng.rules.row_code import output_name, row_predicate, row_step, row_values
from minzheng.rules.steps import (
    HOUSEHOLDS,
    PERSONS,
    Bind,
    Context,
    Defaults,
    Derive,
    Drop,
    Summarise,
)

_compiled: WeakKeyDictionary = WeakKeyDictionary()


def run(plan: Plan, tables: dict[str, list[dict]], bound: Bound, person_parameters: list[str]):
    """Computes in place: the households' and persons' rows get every result column."""
    for step in plan.steps:
        if isinstance(step, Derive):
            _compiled_for(step)(tables[step.table])
        elif isinstance(step, Summarise):
            _summarise(step, tables)
        elif isinstance(step, Defaults):
            _defaults(step, tables[step.table])
        elif isinstance(step, Bind):
            _bind(bound, tables[HOUSEHOLDS])
        elif isinstance(step, Context):
            _context(step.columns + tuple(person_parameters), tables)
        elif isinstance(step, Drop):
            for row in tables[step.table]:
                for name in step.columns:
                    del row[name]
        else:
            raise TypeError(f"unknown step {step!r}")


def _compiled_for(step):
    found = _compiled.get(step)
    if found is None:
        found = _compiled[step] = _compile(step)
    return found


def _compile(step):
    if isinstance(step, Derive):
        return row_step(step.columns, f"_{step.name}")
    if isinstance(step, Summarise):
        where = row_predicate(step.where, f"_{step.name}_where") if step.where is not None else None
        names = tuple(output_name(e) for e in step.sums)
        return where, row_values(step.values, f"_{step.name}"), names
    if isinstance(step, Defaults):
        return {name: pl.select(expr).item() for name, expr in step.columns.items()}
    raise TypeError(f"nothing to compile in {step!r}")


def _summarise(step: Summarise, tables: dict[str, list[dict]]) -> None:
    where, values, names = _compiled_for(step)
    totals: dict = {}
    for row in tables[step.source]:
        key = row[step.key]
        if key is None or (where is not None and not where(row)):  # a null key joins nothing
            continue
        found = values(row)
        kept = totals.get(key)
        totals[key] = found if kept is None else tuple(map(add, kept, found))
    missing = (0,) * len(names)
    target_key = step.target_key
    for row in tables[step.target]:
        row.update(zip(names, totals.get(row[target_key], missing), strict=True))


def _defaults(step: Defaults, rows: list[dict]) -> None:
    for name, value in _compiled_for(step).items():
        for row in rows:
            row.setdefault(name, value)


def _bind(bound: Bound, homes: list[dict]) -> None:
    index = {key: i for i, key in enumerate(bound.keys)}
    for home in homes:
        at = index[(home["region_code"], home["area_type"])]
        home.update(bound.constants)
        home.update((name, values[at]) for name, values in bound.varying.items())
        home.update((name, values[home["area_type"]]) for name, values in bound.by_area.items())


def _context(columns: tuple[str, ...], tables: dict[str, list[dict]]) -> None:
    homes = {home["household_id"]: home for home in tables[HOUSEHOLDS]}
    for person in tables[PERSONS]:
        home = homes.get(person["household_id"])
        person.update((name, home[name] if home else None) for name in columns)
