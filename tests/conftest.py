import pytest

from tests.factories import DEMO_COUNTY, load_test_regions


@pytest.fixture
def regions(db):
    """The demo county (桐庐县) with its ancestors, townships and villages."""
    load_test_regions()
    return DEMO_COUNTY


@pytest.fixture
def transactional_regions(transactional_db):
    load_test_regions()
    return DEMO_COUNTY
