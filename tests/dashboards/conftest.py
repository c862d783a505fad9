from datetime import date

import pytest
from django.utils import timezone

from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_household, make_user

TODAY = date(2024, 11, 18)  # a Monday in November 2024: October has ended


@pytest.fixture
def today(monkeypatch):
    """The screens' `timezone.localdate()` is TODAY (no other clock is touched)."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


@pytest.fixture
def approver(regions):
    return make_user("county_approver", "330122000000")


@pytest.fixture
def homes(regions):
    """Households: two in township A (a rural one of 3 and an urban one of 2), one of 4 in B."""
    a_rural = make_household(first_village(TOWNSHIP_A), members=3)
    a_urban = make_household(first_village(TOWNSHIP_A), members=2)
    a_urban.area_type = "urban"
    a_urban.save(update_fields=["area_type"])
    b = make_household(first_village(TOWNSHIP_B), members=4)
    return {"a_rural": a_rural, "a_urban": a_urban, "b": b}
