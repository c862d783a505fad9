"""政策找人 and the "可享受政策" panel: the engine applied to one household or a whole region.

Both go through `evaluate`, the one-household path with a one-row frame, the region path with
the registry snapshot; the parameters are the shipped tree with published values merged.
"""

from collections.abc import Callable
from datetime import date

import polars as pl

from minzheng.registry import selectors
from minzheng.registry.snapshot import snapshot
from minzheng.rules.evaluate import Frames, evaluate, frames_for_one
from minzheng.rules.parameters import Parameter
from minzheng.rules.publication import effective_tree


def parameters() -> dict[str, Parameter]:
    """Shipped values with published ones merged over them (one small query)."""
    return effective_tree()


def household_facts(household) -> dict:
    """The registry household in the shape `frames_for_one` reads."""
    members = []
    for person in household.members.prefetch_related("incomes").order_by("id"):
        incomes = [
            {"period": item.period, "amount_fen": int(item.amount * 100), "excluded": item.excluded}
            for item in person.incomes.all()
        ]
        members.append(
            {"co_resident": person.co_resident, "exclusion": person.exclusion, "incomes": incomes}
        )
    return {
        "region_code": household.region_id,
        "area_type": household.area_type,
        "members": members,
    }


def screen_household(user, household_id: int, as_of: date) -> dict:
    """The programs one household (in the user's region) qualifies for, with explanation."""
    household = selectors.household_for(user, household_id)
    return screen_facts(household_facts(household), as_of)


def screen_facts(facts: dict, as_of: date) -> dict:
    return evaluate(frames_for_one(facts), as_of, parameters()).row(0, named=True)


def screen_region(
    region_code: str, as_of: date, progress: Callable[[str], None] = lambda message: None
) -> pl.DataFrame:
    progress("读取对象库快照")
    shot = snapshot(region_code)
    progress(f"评估 {shot.households.height} 户")
    frames = Frames(shot.households, shot.persons, shot.incomes)
    result = evaluate(frames, as_of, parameters())
    return shot.households.select("household_id", "number").join(
        result, on="household_id", how="left"
    )
