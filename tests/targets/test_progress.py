"""A target's standing: done when reached; on track while the value keeps up with the days
elapsed since 1 January towards the deadline; behind (and overdue after the deadline)."""

from datetime import date
from decimal import Decimal

import pytest

from minzheng.targets.progress import standing

DEADLINE = date(2024, 12, 31)  # 365 days after 1 January 2024
JULY = date(2024, 7, 2)  # 183 days elapsed: a target of 730 calls for 366 by then


@pytest.mark.parametrize(
    ("case", "value", "target", "today", "status", "overdue"),
    [
        ("reached early", "256", "256", JULY, "done", False),
        ("beyond the target", "300", "256", JULY, "done", False),
        ("exactly the share of the days elapsed", "366", "730", JULY, "on_track", False),
        ("a fen short of the share", "365.99", "730", JULY, "behind", False),
        ("nothing yet on 1 January", "0", "730", date(2024, 1, 1), "on_track", False),
        ("short on the deadline day", "729", "730", DEADLINE, "behind", False),
        ("short after the deadline", "729", "730", date(2025, 1, 2), "behind", True),
        ("reached after the deadline", "730", "730", date(2025, 1, 2), "done", False),
    ],
)
def test_standing(case, value, target, today, status, overdue):
    found = standing(Decimal(value), Decimal(target), 2024, DEADLINE, today)
    assert (found.status, found.overdue) == (status, overdue)


def test_percentages_are_rounded_to_one_decimal():
    found = standing(Decimal("100"), Decimal("256"), 2024, DEADLINE, JULY)
    assert (found.percent, found.expected_percent) == (Decimal("39.1"), Decimal("50.1"))
