from datetime import date

import polars as pl
import pytest

from minzheng import demo
from minzheng.registry import bulk
from minzheng.registry.snapshot import snapshot
from minzheng.registry.synthetic import generate
from tests.factories import TOWNSHIP_A


@pytest.fixture
def population(regions):
    population = generate(
        demo.county_villages(demo.DEMO_COUNTY), households=80, seed=9, today=date(2024, 6, 30)
    )
    bulk.write_population(population)
    return population


def test_county_snapshot_equals_what_was_written(population):
    shot = snapshot(demo.DEMO_COUNTY)
    assert shot.households.height == 80
    assert shot.persons.height == population.persons.height
    assert shot.incomes["amount_fen"].sum() == population.incomes["amount_fen"].sum()
    assert shot.persons.schema["birth_date"] == pl.Date
    assert shot.persons.schema["co_resident"] == pl.Boolean
    assert sorted(shot.persons["birth_date"].to_list()) == sorted(
        population.persons["birth_date"].to_list()
    )
    assert shot.persons["disability_grade"].drop_nulls().sort().to_list() == (
        population.persons["disability_grade"].drop_nulls().sort().to_list()
    )


def test_township_snapshot_holds_only_the_township(population):
    shot = snapshot(TOWNSHIP_A)
    expected = population.households.filter(pl.col("village_code").str.starts_with("330122002"))
    assert shot.households.height == expected.height
    assert shot.persons["region_code"].str.starts_with("330122002").all()
    assert set(shot.incomes["household_id"]) <= set(shot.households["household_id"])


def test_empty_region_gives_empty_frames_with_schemas(regions):
    shot = snapshot(demo.DEMO_COUNTY)
    assert (shot.households.height, shot.persons.height) == (0, 0)
    assert shot.incomes.schema["amount_fen"] == pl.Int64
