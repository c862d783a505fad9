"""Fixtures of the cases tests: the fixed "today" (tests/cases/clock.py)."""

from tests.cases.clock import today  # noqa: F401  (a fixture, registered here for the folder)
