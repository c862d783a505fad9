"""A fixed "today" for tests whose services read timezone.localdate() (the day a step is
taken, a notice is dated): one Monday, shared, so the tests' dates stay comparable."""

from datetime import date

import pytest
from django.utils import timezone

TODAY = date(2024, 10, 21)  # a Monday
EVALUATED = 131800  # the household fixture's 低保 in 桐庐: 1159 × 2 − 1000 yuan


@pytest.fixture
def today(monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY
