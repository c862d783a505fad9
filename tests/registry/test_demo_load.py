from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from minzheng import demo
from minzheng.audit.models import AuditEvent
from minzheng.kit import crypto
from minzheng.registry import bulk as registry_bulk
from minzheng.registry.models import Household, IncomeItem, Person
from minzheng.registry.synthetic import generate


@pytest.fixture
def population(regions):
    villages = demo.county_villages(demo.DEMO_COUNTY)
    return generate(villages, households=60, seed=5, today=date(2024, 6, 30))


def test_written_rows_equal_the_frames(population):
    counts = registry_bulk.write_population(population)
    assert (counts.households, counts.persons, counts.incomes) == (
        population.households.height,
        population.persons.height,
        population.incomes.height,
    )
    assert Household.objects.count() == 60
    assert Person.objects.count() == population.persons.height
    first = population.persons.row(0, named=True)
    stored = Person.objects.get(id_number_index=crypto.blind_index(first["id_number"], "id_number"))
    assert (stored.id_number, stored.name, stored.birth_date, stored.household.number) == (
        first["id_number"],
        first["name"],
        first["birth_date"],
        first["household_no"],
    )
    assert stored.region_id == first["household_no"][:12]
    expected_total = Decimal(population.incomes["amount_fen"].sum()) / 100
    assert sum(IncomeItem.objects.values_list("amount", flat=True)) == expected_total
    event = AuditEvent.objects.get(action="registry.bulk_loaded")
    assert event.after == {"households": 60, "persons": counts.persons, "incomes": counts.incomes}


def test_written_households_keep_village_and_size(population):
    registry_bulk.write_population(population)
    row = population.households.filter(pl.col("size") == pl.col("size").max()).row(0, named=True)
    household = Household.objects.get(number=row["household_no"])
    assert (household.region_id, household.address, household.members.count()) == (
        row["village_code"],
        row["address"],
        row["size"],
    )


def test_demo_population_loads_once(regions):
    first = demo.load_demo_population(demo.DEMO_COUNTY, 30, 1, lambda *a: None)
    assert first.households == 30
    again = demo.load_demo_population(demo.DEMO_COUNTY, 30, 1, lambda *a: None)
    assert again is None
    assert Household.objects.count() == 30
    assert AuditEvent.objects.filter(action="registry.imported").count() == 1
    assert not AuditEvent.objects.filter(action="registry.bulk_loaded").exists()


def test_demo_accounts_are_created_once_with_their_regions(regions):
    created = demo.create_demo_accounts()
    assert created == [a.username for a in demo.DEMO_ACCOUNTS]
    assert demo.create_demo_accounts() == []
    from minzheng.accounts.models import User

    regions_by_user = dict(User.objects.values_list("username", "region_id"))
    assert regions_by_user == {
        "village_worker": "330122002200",
        "township_clerk": "330122002000",
        "township_reviewer": "330122002000",
        "county_approver": "330122000000",
        "county_admin": "330122000000",
        "city_admin": "330100000000",
        "city_viewer": "330100000000",
        "leader": "330122000000",
        "target_owner": "330122000000",
        "resident": "330122002200",
        "sysadmin": "330122000000",
        "secadmin": "330122000000",
        "auditadmin": "330122000000",
    }
