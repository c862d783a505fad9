"""Binding on the frame executor: each household's key (its code read as a number: whole when
the codes have one length, sliced otherwise; odd codes and areas left unbound), the keys'
positions (through a table, or by sorting when they span too much), national parameters
bound per area, and a region's binding done in the background with its errors raised."""

from datetime import date

import polars as pl
import pytest

from minzheng.rules import on_frames
from minzheng.rules.bindings import bind, bound_for
from minzheng.rules.evaluate import evaluate
from minzheng.rules.facts import empty_frames
from minzheng.rules.parameters import load_tree
from minzheng.rules.plan import plan_for

TREE = load_tree()
AS_OF = date(2024, 8, 1)


def test_codes_of_one_length_are_read_whole_and_others_sliced_to_the_same_numbers():
    whole = pl.Series(["431102001001", "330122002200", "110101000000"])
    assert on_frames._prefix_numbers(whole, 6).to_list() == [431102, 330122, 110101]
    mixed = pl.Series(["431102001001", "330122", "110101001"])
    assert on_frames._prefix_numbers(mixed, 6).to_list() == [431102, 330122, 110101]
    assert on_frames._prefix_numbers(whole, 4).to_list() == [4311, 3301, 1101]


def test_a_signed_spaced_or_short_code_has_no_number_and_leading_zeros_are_kept():
    # A cast reads "+4311…" as a number: one such code sends the column to the strict path.
    odd = pl.Series(["+43110200100", "330122002200", "-33012200220", "43 102001001", "4311"])
    assert on_frames._prefix_numbers(odd, 6).to_list() == [None, 330122, None, None, None]
    zeros = pl.Series(["000000", "009999"])
    assert on_frames._prefix_numbers(zeros, 6).to_list() == [0, 9999]


def test_keys_are_numbered_the_same_through_a_table_and_by_sorting(monkeypatch):
    key = pl.Series([862244, 660240, None, 862244, 220202], dtype=pl.Int64)
    by_table = on_frames._positions(key)
    monkeypatch.setattr(on_frames, "_TABLE_SPAN", 1)
    by_sorting = on_frames._positions(key)
    for distinct, positions in (by_table, by_sorting):
        assert distinct.tolist() == [220202, 660240, 862244]
        assert positions.dtype == pl.UInt32
        assert positions.to_list() == [2, 1, None, 2, 0]


def test_a_national_parameter_is_bound_per_area_and_a_regional_one_per_key():
    keys = [("431102", "rural"), ("431102", "urban"), ("500101", "rural")]
    names = ["dibao.standard", "rigid.disposable_income", "cases.review_months_unstable"]
    bound = bind(keys, names, AS_OF, TREE)
    assert bound.varying == {"dibao_standard": [45_000, 70_000, 49_600]}
    assert bound.by_area == {
        "rigid_disposable_income": {"rural": 2_169_100, "urban": 5_182_100},
        "cases_review_months_unstable": {"rural": 6, "urban": 3},
    }
    assert bound.constants == {}
    assert bound.columns == [
        "dibao_standard",
        "rigid_disposable_income",
        "cases_review_months_unstable",
    ]
    explained = bound.explained().select("parameter", "area_type", "value", "source_region")
    assert explained.filter(pl.col("parameter") == "rigid.disposable_income").rows() == [
        ("rigid.disposable_income", "rural", "21691", ""),
        ("rigid.disposable_income", "urban", "51821", ""),
    ]
    # One area among the keys: a single value, broadcast.
    rural = bind(keys[:1], names, AS_OF, TREE)
    assert rural.by_area == {} and rural.varying == {}
    assert rural.constants["rigid_disposable_income"] == 2_169_100


def _households(count: int) -> pl.DataFrame:
    codes = ["431102001001", "330122002200", "500101001001"]
    rows = {
        "household_id": list(range(1, count + 1)),
        "region_code": [codes[i % 3] for i in range(count)],
        "area_type": ["rural" if i % 2 else "urban" for i in range(count)],
    }
    return pl.DataFrame(rows)


def _evaluate(households: pl.DataFrame):
    empty = empty_frames()
    frame = pl.concat([empty.households, households], how="diagonal_relaxed")
    frames = type(empty)(frame, empty.persons, empty.incomes, empty.assets, empty.supporters)
    return evaluate(frames, AS_OF, TREE).households


def test_a_region_bound_in_the_background_gets_the_values_a_few_households_get_at_once():
    many = _evaluate(_households(1_200))  # over on_frames._SMALL: bound in a thread
    few = _evaluate(_households(6))
    columns = ["region_code", "area_type", "dibao_standard", "rigid_disposable_income"]
    assert (
        many.select(columns).unique().sort(columns).rows()
        == few.select(columns).sort(columns).rows()
    )
    assert few.select(columns).sort(columns).rows()[:2] == [
        ("330122002200", "rural", 115_900, 2_169_100),
        ("330122002200", "urban", 115_900, 5_182_100),
    ]
    assert many["household_id"].to_list() == list(range(1, 1_201))


def test_an_odd_area_in_a_region_bound_in_the_background_is_refused():
    households = _households(1_200).with_columns(
        pl.when(pl.col("household_id") == 700)
        .then(pl.lit("镇区"))
        .otherwise(pl.col("area_type"))
        .alias("area_type")
    )
    with pytest.raises(ValueError, match="split urban/rural"):
        _evaluate(households)


def test_the_same_region_is_bound_once_per_plan_and_tree_and_a_new_tree_binds_again():
    plan = plan_for(AS_OF, None)
    households = _households(12)
    first = on_frames._Regions(households, 6)
    again = on_frames._Regions(households.clone(), 6)
    other = on_frames._Regions(households.head(5), 6)
    assert again.fingerprint == first.fingerprint != other.fingerprint
    bound = bound_for(plan, first.fingerprint, first.keys, TREE)
    assert bound_for(plan, again.fingerprint, again.keys, TREE) is bound
    assert bound_for(plan, other.fingerprint, other.keys, TREE) is not bound
    published = dict(TREE)  # a publication makes a new tree
    rebound = bound_for(plan, first.fingerprint, first.keys, published)
    assert rebound is not bound and rebound.varying == bound.varying
    # One household has the fingerprint of the (code, area) a case screen binds.
    one = on_frames._Regions(households.head(1), 6)
    assert one.fingerprint == ("431102001001", "urban") and one.keys() == [one.fingerprint]
