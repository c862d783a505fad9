"""The two executors of a plan agree on what they share: sums by key (on the frame executor
both by running totals over a key in order and by group_by out of order), and a whole
evaluation does not depend on the order of the rows."""

from datetime import date

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from minzheng.rules import on_frames, on_rows
from minzheng.rules.evaluate import evaluate
from minzheng.rules.explain import household_summary
from minzheng.rules.steps import Summarise
from tests.rules.test_parity import AS_OF, TREE, _batch, households

HOUSEHOLD = {
    "region_code": "431102001001",
    "area_type": "rural",
    "members": [
        {"birth_date": date(1950, 3, 1), "incomes": [{"amount_fen": 20_000}]},
        {
            "birth_date": date(1980, 5, 5),
            "employed": True,
            "incomes": [{"period": "annual", "amount_fen": 600_000}],
        },
    ],
    "assets": [{"kind": "deposit", "value_fen": 100_000}],
    "supporters": [{"member": 0, "condition": "low_income"}],
}
STEP = Summarise(
    "items",
    "homes",
    "home",
    (
        pl.lit(1).alias("count"),
        pl.when(pl.col("kind") == "a").then(pl.col("value")).otherwise(0).alias("a_total"),
        (pl.col("value") > 5).alias("over_five"),
    ),
    where=pl.col("kept"),
)
SCHEMA = {"home": pl.Int64, "kind": pl.Utf8, "value": pl.Int64, "kept": pl.Boolean}
items = st.lists(
    st.fixed_dictionaries(
        {
            "home": st.one_of(st.none(), st.integers(0, 5)),
            "kind": st.sampled_from(["a", "b", None]),
            "value": st.one_of(st.none(), st.integers(-3, 9)),
            "kept": st.one_of(st.none(), st.booleans()),
        }
    ),
    max_size=30,
)


def _on_frames(source: pl.DataFrame) -> list[tuple]:
    sums = on_frames._sums_by_key(source, STEP).collect()
    homes = pl.DataFrame({"home": list(range(6))}).lazy()
    joined = homes.join(sums.lazy(), on="home", how="left").with_columns(
        pl.col("count", "a_total", "over_five").fill_null(0)
    )
    return joined.collect().sort("home").rows()


@settings(max_examples=80, deadline=None)
@given(items)
def test_sums_by_key_agree_in_order_out_of_order_and_on_rows(rows):
    # given the same rows in key order and out of it
    ordered = sorted(rows, key=lambda r: (r["home"] is not None, r["home"] or 0))
    in_order = pl.DataFrame(ordered, schema=SCHEMA)
    out_of_order = pl.DataFrame(rows[::-1] + [{"home": 9, "kind": "a", "value": 1, "kept": True}])
    # when summed by each executor
    expected = [
        (
            home,
            *(
                sum(v)
                for v in zip(
                    *[
                        (1, r["value"] or 0 if r["kind"] == "a" else 0, int((r["value"] or 0) > 5))
                        for r in ordered
                        if r["home"] == home and r["kept"] is True
                    ],
                    strict=True,
                )
            ),
        )
        if any(r["home"] == home and r["kept"] is True for r in ordered)
        else (home, 0, 0, 0)
        for home in range(6)
    ]
    tables = {"items": [dict(r) for r in rows], "homes": [{"home": h} for h in range(6)]}
    on_rows._summarise(STEP, tables)
    # then all three give what the rows add up to
    assert in_order["home"].drop_nulls().is_sorted()
    assert _on_frames(in_order) == expected
    assert _on_frames(out_of_order.cast(SCHEMA)) == expected
    assert [tuple(h.values()) for h in tables["homes"]] == expected


@settings(max_examples=10, deadline=None)
@given(st.lists(households, min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_an_evaluation_does_not_depend_on_the_order_of_rows(many, random):
    frames = _batch(many)
    shuffled = type(frames)(
        *(
            frame.sample(fraction=1.0, shuffle=True, seed=random.randint(0, 2**31))
            for frame in (
                frames.households,
                frames.persons,
                frames.incomes,
                frames.assets,
                frames.supporters,
            )
        )
    )
    in_order = household_summary(evaluate(frames, AS_OF, TREE))
    assert_frame_equal(household_summary(evaluate(shuffled, AS_OF, TREE)), in_order)


def test_households_and_persons_in_reverse_order_give_the_same_results():
    rich = HOUSEHOLD | {
        "members": [{"birth_date": date(1980, 5, 5), "incomes": [{"amount_fen": 900_000}]}]
    }
    frames = _batch([HOUSEHOLD, rich, HOUSEHOLD | {"area_type": "urban"}])
    reversed_ = type(frames)(*(frame.reverse() for frame in frames.__dict__.values()))
    assert not reversed_.persons["household_id"].is_sorted()
    in_order = household_summary(evaluate(frames, AS_OF, TREE))
    assert in_order["dibao_eligible"].to_list() == [True, False, True]
    assert_frame_equal(household_summary(evaluate(reversed_, AS_OF, TREE)), in_order)


def test_binding_keys_of_codes_in_order_and_of_odd_ones():
    homes = pl.DataFrame(
        {
            "region_code": ["431102001001", "431102009001", "330122002200", "4311x2001001"],
            "area_type": ["urban", "urban", "rural", "rural"],
        }
    )
    odd_area = homes.with_columns(pl.lit("").alias("area_type")).head(1)
    regions = on_frames._Regions(pl.concat([homes, odd_area]), 6)
    assert regions.keys() == [
        ("330122", "rural"),
        ("431102", "urban"),
        ("431102", ""),
        ("4311x2", "rural"),
    ]
    # Each household's position among the integer keys; the odd ones have none (their values
    # are resolved for the error message and stay null).
    assert regions.row_keys.to_list() == [1, 1, 0, None, None]
    assert regions.spread("v", [10, 20, 30, 40]).to_list() == [20, 20, 10, None, None]
    national = on_frames._Regions(homes, 0)
    assert national.keys() == [("", "rural"), ("", "urban")]
    assert national.row_keys.to_list() == [1, 1, 0, 0]
