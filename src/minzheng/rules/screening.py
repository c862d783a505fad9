"""政策找人 and the "可享受政策" panel: the engine applied to one household or a whole region.

Both go through `evaluate`: the one-household path with one-household frames, the region path
with the registry snapshot; the parameters are the shipped tree with published values merged.
"""

from collections.abc import Callable
from datetime import date

import polars as pl

from minzheng.registry import selectors
from minzheng.registry.snapshot import snapshot
from minzheng.rules.engines import runner_of
from minzheng.rules.evaluate import Evaluation, evaluate, evaluate_one
from minzheng.rules.explain import explain
from minzheng.rules.facts import frames_of, household_facts
from minzheng.rules.parameters import Parameter
from minzheng.rules.publication import effective_tree


def parameters() -> dict[str, Parameter]:
    """Shipped values with published ones merged over them (one small query)."""
    return effective_tree()


def screen_household(user, household_id: int, as_of: date) -> dict:
    """The programs one household (in the user's region) qualifies for, with explanation."""
    household = selectors.household_for(user, household_id)
    return screen_facts(household_facts(household), as_of)


def screen_facts(facts: dict, as_of: date) -> dict:
    return explain(evaluate_one(facts, as_of, parameters()))


def evaluate_region(
    region_code: str, as_of: date, tree: dict[str, Parameter] | None = None
) -> Evaluation:
    return evaluate(frames_of(snapshot(region_code)), as_of, tree or parameters())


def screen_region(
    region_code: str,
    as_of: date,
    progress: Callable[[str], None] = lambda message: None,
    engine: str = "polars",
) -> pl.DataFrame:
    """Every household of the region with its programs and amounts (household_summary),
    computed by the engine's runner (rules/engines.py): this process or Spark."""
    summary = runner_of(engine).region_summary(region_code, as_of, parameters(), progress)
    return summary.drop("region_code")
