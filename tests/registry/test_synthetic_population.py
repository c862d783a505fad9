"""The synthetic population generator: pure, no database."""

from datetime import date

import polars as pl
import pytest
from stdnum.cn import ric

from minzheng.registry.synthetic import POOR_LINE_FEN, Village, generate

VILLAGES = [
    Village(f"330122{t:03d}{v:03d}", "111" if v < 3 else "220")
    for t in (2, 101, 201)
    for v in range(1, 8)
]
TODAY = date(2024, 6, 30)


@pytest.fixture(scope="module")
def population():
    return generate(VILLAGES, households=6000, seed=11, today=TODAY)


def test_same_seed_same_frames_other_seed_other_frames(population):
    again = generate(VILLAGES, households=6000, seed=11, today=TODAY)
    assert again.persons.equals(population.persons)
    assert again.households.equals(population.households)
    assert again.incomes.equals(population.incomes)
    other = generate(VILLAGES, households=6000, seed=12, today=TODAY)
    assert not other.persons["id_number"].equals(population.persons["id_number"])


def test_every_id_number_is_valid_unique_and_consistent(population):
    persons = population.persons
    assert persons["id_number"].n_unique() == persons.height
    assert all(ric.is_valid(number) for number in persons["id_number"].to_list())
    derived = persons.select(
        birth=pl.col("id_number").str.slice(6, 8).str.to_date("%Y%m%d"),
        male=pl.col("id_number").str.slice(16, 1).cast(pl.Int32) % 2 == 1,
        prefix=pl.col("id_number").str.slice(0, 6),
        village_prefix=pl.col("household_no").str.slice(0, 6),
    )
    assert derived["birth"].equals(persons["birth_date"].alias("birth"))
    assert derived["male"].to_list() == (persons["sex"] == "M").to_list()
    assert derived["prefix"].to_list() == derived["village_prefix"].to_list()
    assert persons["birth_date"].max() <= TODAY


def test_households_are_consistent_with_their_members(population):
    homes, persons = population.households, population.persons
    assert homes["household_no"].n_unique() == homes.height == 6000
    assert homes["household_no"].str.len_chars().unique().to_list() == [17]
    counted = persons.group_by("household_no").agg(
        n=pl.len(), heads=(pl.col("relation") == "head").sum()
    )
    joined = homes.join(counted, on="household_no")
    assert joined.height == 6000
    assert (joined["size"] == joined["n"]).all()
    assert (joined["heads"] == 1).all()
    assert set(homes["area_type"].unique()) == {"urban", "rural"}


def test_parents_situation_only_for_minors(population):
    persons = population.persons.with_columns(minor=pl.col("birth_date") > pl.date(2006, 6, 30))
    adults, minors = persons.filter(~pl.col("minor")), persons.filter(pl.col("minor"))
    assert adults["father_situation"].null_count() == adults.height
    assert minors["mother_situation"].null_count() == 0
    under_16 = persons["birth_date"] > date(2008, 6, 30)
    assert persons["phone"].is_null().to_list() == under_16.to_list()


def test_shares_are_in_realistic_bands(population):
    persons, homes, incomes = population.persons, population.households, population.incomes
    elderly = persons.select((pl.col("birth_date") <= pl.date(1964, 6, 30)).mean()).item()
    disabled = persons["disability_grade"].is_not_null().mean()
    counted = (
        incomes.filter(~pl.col("excluded"))
        .join(persons.select("id_number", "household_no"), on="id_number")
        .group_by("household_no")
        .agg(total=pl.col("amount_fen").sum())
    )
    per_capita = (
        homes.join(counted, on="household_no", how="left")
        .select((pl.col("total").fill_null(0) / pl.col("size") < POOR_LINE_FEN).mean())
        .item()
    )
    assert 0.18 <= elderly <= 0.27
    assert 0.04 <= disabled <= 0.08
    assert 0.08 <= per_capita <= 0.12


def test_income_amounts_are_positive_integer_fen(population):
    incomes = population.incomes
    assert incomes.schema["amount_fen"] == pl.Int64
    assert incomes["amount_fen"].min() >= 1
    assert set(incomes["category"].unique()) <= {
        "wage",
        "business",
        "property",
        "transfer",
        "other",
    }
    assert incomes.filter(pl.col("excluded"))["category"].unique().to_list() == ["transfer"]


def test_zero_households_gives_empty_frames_with_schemas():
    empty = generate(VILLAGES, households=0)
    assert (empty.households.height, empty.persons.height, empty.incomes.height) == (0, 0, 0)
    assert empty.persons.schema["birth_date"] == pl.Date
    assert empty.incomes.schema["amount_fen"] == pl.Int64
