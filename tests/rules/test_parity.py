"""Property: evaluating households together gives each exactly what it gets alone — the batch
path (Polars frames) and the one-household path (the same plan compiled to Python rows) must
agree on random households, row for row."""

from datetime import date

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from minzheng.rules.assessment import Frames
from minzheng.rules.evaluate import evaluate, evaluate_one
from minzheng.rules.explain import household_summary
from minzheng.rules.facts import frames_for_one
from minzheng.rules.parameters import load_tree

TREE = load_tree()
AS_OF = date(2024, 8, 1)
REGIONS = [
    ("431102001001", "urban"),
    ("431102001001", "rural"),
    ("330122002200", "rural"),
    ("310101002003", "urban"),
    ("500101001001", "rural"),
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
        "birth_date": st.dates(date(1915, 1, 1), date(2024, 7, 31)),
        "disability_category": st.sampled_from(["", "", "physical", "intellectual", "visual"]),
        "disability_grade": st.sampled_from([None, None, 1, 2, 3, 4]),
        "serious_illness": st.booleans(),
        "employed": st.booleans(),
        "father_situation": st.sampled_from(["normal", "dead", "missing", "in_prison"]),
        "mother_situation": st.sampled_from(["normal", "dead", "lost_contact"]),
        "self_care_unable": st.sampled_from([None, 0, 3, 4, 6]),
        "support_mode": st.sampled_from(["dispersed", "centralised"]),
        "incomes": incomes,
    }
)
households = st.builds(
    lambda region, people, deposits, recipient, cost: {
        "region_code": region[0],
        "area_type": region[1],
        "members": people,
        "assets": [{"kind": "deposit", "value_fen": deposits}],
        "dibao_recipient": recipient,
        "rigid_expense_fen": cost,
        "emergency_type": "expense" if cost else "",
        "emergency_cost_fen": cost,
    },
    st.sampled_from(REGIONS),
    st.lists(members, min_size=1, max_size=6),
    st.integers(min_value=0, max_value=10_000_000),
    st.booleans(),
    st.sampled_from([0, 0, 500_000, 3_000_000]),
)


def _batch(many: list[dict]) -> Frames:
    parts = [frames_for_one(h) for h in many]
    offsets = np.cumsum([0] + [p.persons.height for p in parts])

    def stacked(name: str) -> pl.DataFrame:
        frames = []
        for i, part in enumerate(parts):
            frame = getattr(part, name).with_columns(pl.lit(i, pl.Int64).alias("household_id"))
            for key in ("person_id", "supported_id"):
                if key in frame.columns:
                    frame = frame.with_columns(pl.col(key) + int(offsets[i]))
            frames.append(frame)
        return pl.concat(frames)

    names = ("households", "persons", "incomes", "assets", "supporters")
    return Frames(*(stacked(name) for name in names))


@settings(max_examples=40, deadline=None)
@given(st.lists(households, min_size=1, max_size=20))
def test_batch_and_one_household_paths_agree(many):
    batch = household_summary(evaluate(_batch(many), AS_OF, TREE)).drop("household_id")
    for index, household in enumerate(many):
        alone = household_summary(evaluate_one(household, AS_OF, TREE))
        assert batch.row(index) == alone.drop("household_id").row(0)
