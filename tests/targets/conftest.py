from datetime import date
from decimal import Decimal

import pytest

from minzheng.regions.models import Region
from minzheng.targets import services, sheet
from tests.dashboards.conftest import approver, homes, today  # noqa: F401 - shared fixtures
from tests.factories import DEMO_COUNTY, make_user


@pytest.fixture
def manager(regions):
    return make_user("county_admin", DEMO_COUNTY)


@pytest.fixture
def owner(regions):
    return make_user("target_owner", DEMO_COUNTY, username="yanglao_ke")


def row(
    number="1",
    item="新增养老床位",
    unit="张",
    value="256",
    metric="",
    reporter=None,
    deadline=date(2024, 12, 31),
    owner="养老服务科",
) -> sheet.Row:
    return sheet.Row(0, number, item, unit, Decimal(value), owner, deadline, metric, reporter)


@pytest.fixture
def county(regions):
    return Region.objects.get(code=DEMO_COUNTY)


@pytest.fixture
def beds(manager, county):
    """新增256张养老床位 (the first 2024 work plan), reported by its owner."""
    return services.create_target(manager, county, 2024, row())
