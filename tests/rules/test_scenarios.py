"""Every scenario in policies/scenarios/*.yaml, and batch/one-household parity."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from minzheng.rules.evaluate import Frames, evaluate, frames_for_one
from minzheng.rules.parameters import Entry, load_tree

SCENARIOS = Path(__file__).resolve().parents[2] / "src/minzheng/policies/scenarios"
TREE = load_tree()


def _scenarios() -> list[dict]:
    found = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        found += yaml.safe_load(path.read_text(encoding="utf-8"))
    return found


def _fen(yuan) -> int:
    return int(Decimal(str(yuan)) * 100)


def _household(scenario: dict) -> dict:
    members = []
    for member in scenario["members"]:
        incomes = []
        for key, period, excluded in (
            ("income", "monthly", False),
            ("annual_income", "annual", False),
            ("excluded_income", "monthly", True),
        ):
            if key in member:
                incomes.append(
                    {"period": period, "amount_fen": _fen(member[key]), "excluded": excluded}
                )
        members.append(
            {
                "co_resident": member.get("co_resident", True),
                "exclusion": member.get("exclusion", ""),
                "incomes": incomes,
            }
        )
    return {"region_code": scenario["region"], "area_type": scenario["area"], "members": members}


def _parameters(overrides: dict) -> dict:
    tree = dict(TREE)
    for name, value in overrides.items():
        parameter = tree[name]
        areas = ("urban", "rural") if parameter.by_area else (None,)
        entries = tuple(
            Entry("", area, date(1900, 1, 1), None, Decimal(str(value)), "what-if")
            for area in areas
        )
        tree[name] = replace(parameter, entries=entries)
    return tree


@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda s: s["name"])
def test_scenario(scenario):
    result = evaluate(
        frames_for_one(_household(scenario)),
        scenario["date"],
        _parameters(scenario.get("parameters", {})),
    ).row(0, named=True)
    expect = scenario["expect"]
    assert result["dibao_eligible"] is expect["dibao"]
    assert result["dibao_amount_fen"] == _fen(expect["dibao_amount"])
    assert result["dibao_edge_eligible"] is expect["dibao_edge"]


def test_explanation_names_the_standard_used():
    scenario = _scenarios()[0]
    result = evaluate(frames_for_one(_household(scenario)), scenario["date"], TREE).row(
        0, named=True
    )
    assert (result["members"], result["income_fen"], result["standard_fen"]) == (3, 120000, 70000)
    assert (result["standard_region"], result["standard_from"]) == ("4311", date(2024, 1, 1))
    assert "永州" in result["standard_reference"]
    assert (result["edge_multiplier"], result["formula_version"]) == ("1.5", "dibao-2021.1")


def _random_households(count: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    regions = [
        ("431102001001", "urban"),
        ("431102001001", "rural"),
        ("330122002200", "rural"),
        ("310101002003", "urban"),
    ]
    households = []
    for _ in range(count):
        region, area = regions[rng.integers(len(regions))]
        members = []
        for _member in range(rng.integers(1, 6)):
            incomes = [
                {
                    "period": str(rng.choice(["monthly", "annual"])),
                    "amount_fen": int(rng.integers(0, 400_000)),
                    "excluded": bool(rng.random() < 0.1),
                }
                for _item in range(rng.integers(0, 3))
            ]
            members.append(
                {
                    "co_resident": bool(rng.random() < 0.95),
                    "exclusion": "imprisoned" if rng.random() < 0.03 else "",
                    "incomes": incomes,
                }
            )
        households.append({"region_code": region, "area_type": area, "members": members})
    return households


def _batch(households: list[dict]) -> Frames:
    parts = [frames_for_one(h) for h in households]
    offsets = np.cumsum([0] + [p.persons.height for p in parts])
    return Frames(
        pl.concat(
            [
                p.households.with_columns(pl.lit(i).alias("household_id"))
                for i, p in enumerate(parts)
            ]
        ),
        pl.concat(
            [
                p.persons.with_columns(
                    pl.lit(i).alias("household_id"), pl.col("person_id") + int(offsets[i])
                )
                for i, p in enumerate(parts)
            ]
        ),
        pl.concat(
            [
                p.incomes.with_columns(
                    pl.lit(i).alias("household_id"), pl.col("person_id") + int(offsets[i])
                )
                for i, p in enumerate(parts)
            ]
        ),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batch_and_one_household_paths_agree(seed):
    households = _random_households(150, seed)
    as_of = date(2024, 8, 1)
    batch = evaluate(_batch(households), as_of, TREE).sort("household_id")
    columns = [
        "members",
        "income_fen",
        "standard_fen",
        "dibao_eligible",
        "dibao_amount_fen",
        "dibao_edge_eligible",
    ]
    for index, household in enumerate(households):
        one = evaluate(frames_for_one(household), as_of, TREE).select(columns).row(0)
        assert batch.select(columns).row(index) == one, index
    assert batch["dibao_eligible"].sum() > 0 and (~batch["dibao_eligible"]).sum() > 0
