"""Periods counted as the 民法典 says: the start day not counted, months to the same day or the
month's last, a last day on a rest day moved to the next working day, pauses not counted, and
an end in the unpublished year marked provisional."""

from datetime import date

import pytest

from minzheng.kit.errors import Error
from minzheng.kit.periods import (
    CALENDAR_DAYS,
    MONTHS,
    WORKING_DAYS,
    End,
    Pause,
    add_months,
    period_end,
    unit_of,
)
from minzheng.kit.workdays import last_published_year
from tests.refusals import refused


@pytest.mark.parametrize(
    ("case", "start", "length", "unit", "end"),
    [
        ("the start day is not counted", date(2024, 3, 1), 10, CALENDAR_DAYS, date(2024, 3, 11)),
        ("a Saturday end moves to Monday", date(2024, 2, 22), 9, CALENDAR_DAYS, date(2024, 3, 4)),
        ("National Day moves to the 8th", date(2024, 9, 24), 7, CALENDAR_DAYS, date(2024, 10, 8)),
        ("a worked Saturday is an end", date(2024, 10, 2), 10, CALENDAR_DAYS, date(2024, 10, 12)),
        ("working days skip the holiday", date(2024, 9, 30), 5, WORKING_DAYS, date(2024, 10, 12)),
        ("30 working days", date(2024, 9, 27), 30, WORKING_DAYS, date(2024, 11, 13)),
        ("no 31st: the month's last day", date(2024, 1, 31), 1, MONTHS, date(2024, 2, 29)),
        ("no 29th in 2023", date(2023, 1, 31), 1, MONTHS, date(2023, 2, 28)),
        ("a month ending on National Day", date(2024, 9, 1), 1, MONTHS, date(2024, 10, 8)),
        ("zero days: the start itself", date(2024, 3, 1), 0, CALENDAR_DAYS, date(2024, 3, 1)),
    ],
)
def test_period_end(case, start, length, unit, end):
    assert period_end(start, length, unit) == End(end, provisional=False)


def test_a_notice_runs_its_days_without_the_rest_day_rule():
    ends = period_end(date(2024, 9, 24), 7, CALENDAR_DAYS, rest_day_rule=False)
    assert ends == End(date(2024, 10, 1), provisional=False)


def test_days_of_a_pause_do_not_count():
    # 30 working days from 27 Sep end on 13 Nov; a hearing from 10 to 17 Oct holds six of
    # them (11, 12 (worked Saturday), 14, 15, 16, 17 Oct), so the end moves six working days.
    hearing = Pause(date(2024, 10, 10), date(2024, 10, 17))
    ends = period_end(date(2024, 9, 27), 30, WORKING_DAYS, pauses=[hearing])
    assert ends == End(date(2024, 11, 21), provisional=False)
    # calendar days: 1 March + 19 = 20 March, seven days paused: 27 March (a Wednesday)
    week = Pause(date(2024, 3, 5), date(2024, 3, 12))
    ends = period_end(date(2024, 3, 1), 19, CALENDAR_DAYS, pauses=[week])
    assert ends == End(date(2024, 3, 27), provisional=False)


def test_a_pause_lengthens_a_period_in_months_by_its_days():
    pause = Pause(date(2024, 3, 10), date(2024, 3, 20))  # ten days
    assert period_end(date(2024, 3, 1), 1, MONTHS, pauses=[pause]).day == date(2024, 4, 11)


def test_a_running_pause_has_no_end():
    with pytest.raises(ValueError, match="no end until it resumes"):
        period_end(date(2024, 3, 1), 10, CALENDAR_DAYS, pauses=[Pause(date(2024, 3, 2))])


def test_an_end_in_the_unpublished_year_is_provisional():
    following = last_published_year() + 1
    ends = period_end(date(following - 1, 12, 20), 30, WORKING_DAYS)
    assert ends.day.year == following and ends.provisional is True
    assert period_end(date(following - 1, 12, 1), 5, WORKING_DAYS).provisional is False


def test_an_end_beyond_the_provisional_year_is_refused():
    with refused(Error.NO_HOLIDAY_CALENDAR):
        period_end(date(last_published_year() + 1, 12, 20), 30, WORKING_DAYS)


def test_units_come_from_the_parameters_own_words():
    assert (unit_of("工作日"), unit_of("日"), unit_of("月")) == (
        WORKING_DAYS,
        CALENDAR_DAYS,
        MONTHS,
    )
    with pytest.raises(ValueError, match="元"):
        unit_of("元")


def test_add_months_keeps_the_day_or_takes_the_last():
    assert add_months(date(2024, 8, 31), 1) == date(2024, 9, 30)
    assert add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
