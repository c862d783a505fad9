from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from minzheng.registry.models import IncomeItem
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    first_village,
    load_test_regions,
    make_household,
    make_user,
)

COUNTY = "330122000000"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Under xdist (`--dist loadgroup`), the tests that use the Spark session run on one
    worker: one JVM for the run, as without xdist."""
    for item in items:
        if "spark" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("spark"))


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Argon2id at the lowest cost for the whole run (see tests/hashers.py)."""
    hashers = ["tests.hashers.CheapArgon2PasswordHasher", *django_settings.PASSWORD_HASHERS[1:]]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture
def regions(db):
    """The demo county (桐庐县) with its ancestors, townships and villages."""
    load_test_regions()
    return DEMO_COUNTY


@pytest.fixture
def transactional_regions(transactional_db):
    load_test_regions()
    return DEMO_COUNTY


@pytest.fixture
def people(regions):
    """One user per role in the household's township/county, and one of each elsewhere."""
    return {
        "village_worker": make_user("village_worker", first_village(TOWNSHIP_A)),
        "township_clerk": make_user("township_clerk", TOWNSHIP_A),
        "township_reviewer": make_user("township_reviewer", TOWNSHIP_A),
        "county_approver": make_user("county_approver", COUNTY),
        "county_admin": make_user("county_admin", COUNTY),
        "city_viewer": make_user("city_viewer", "330100000000"),
    }


@pytest.fixture
def household(regions):
    """Two members born 1980 and 1990 (adults), 1000 yuan a month: 低保 in 桐庐 (rural 1159)."""
    household = make_household(first_village(TOWNSHIP_A), members=2)
    for index, person in enumerate(household.members.order_by("id")):
        person.birth_date = date(1980 + 10 * index, 3, 1)
        person.save(update_fields=["birth_date"])
    IncomeItem.objects.create(
        person=household.members.first(), category="wage", period="monthly", amount=Decimal("1000")
    )
    return household
