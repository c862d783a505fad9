"""Every scenario in policies/scenarios/*.yaml, and batch/one-household parity."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

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


REGIONS = [
    ("431102001001", "urban"),
    ("431102001001", "rural"),
    ("330122002200", "rural"),
    ("310101002003", "urban"),
]
incomes = st.lists(
    st.fixed_dictionaries(
        {
            "period": st.sampled_from(["monthly", "annual"]),
            "amount_fen": st.integers(min_value=0, max_value=600_000),
            "excluded": st.booleans(),
        }
    ),
    max_size=3,
)
members = st.fixed_dictionaries(
    {
        "co_resident": st.booleans(),
        "exclusion": st.sampled_from(["", "", "", "imprisoned", "declared_missing"]),
        "incomes": incomes,
    }
)
households = st.builds(
    lambda region, people: {"region_code": region[0], "area_type": region[1], "members": people},
    st.sampled_from(REGIONS),
    st.lists(members, min_size=1, max_size=6),
)
COLUMNS = [
    "members",
    "income_fen",
    "standard_fen",
    "dibao_eligible",
    "dibao_amount_fen",
    "dibao_edge_eligible",
]


def _batch(many: list[dict]) -> Frames:
    parts = [frames_for_one(h) for h in many]
    offsets = np.cumsum([0] + [p.persons.height for p in parts])

    def stacked(name: str) -> pl.DataFrame:
        frames = []
        for i, part in enumerate(parts):
            frame = getattr(part, name).with_columns(pl.lit(i, pl.Int64).alias("household_id"))
            if "person_id" in frame.columns:
                frame = frame.with_columns(pl.col("person_id") + int(offsets[i]))
            frames.append(frame)
        return pl.concat(frames)

    return Frames(stacked("households"), stacked("persons"), stacked("incomes"))


@settings(max_examples=60, deadline=None)
@given(st.lists(households, min_size=1, max_size=25))
def test_batch_and_one_household_paths_agree(many):
    """Property: evaluating households together gives each the row it gets alone."""
    as_of = date(2024, 8, 1)
    batch = evaluate(_batch(many), as_of, TREE).sort("household_id").select(COLUMNS)
    for index, household in enumerate(many):
        assert batch.row(index) == evaluate(frames_for_one(household), as_of, TREE).select(
            COLUMNS
        ).row(0)
