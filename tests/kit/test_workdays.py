from datetime import date

from minzheng.kit.errors import Error
from minzheng.kit.workdays import (
    add_working_days,
    is_provisional,
    is_workday,
    last_published_year,
    working_days_between,
)
from tests.refusals import refused


def test_national_day_holiday_and_adjusted_saturday_2024():
    # 2024: 1–7 October off; Sunday 29 September and Saturday 12 October are working days.
    assert is_workday(date(2024, 10, 3)) is False
    assert is_workday(date(2024, 9, 29)) is True
    assert is_workday(date(2024, 10, 12)) is True


def test_add_working_days_skips_the_national_day_week():
    # From Monday 30 Sep 2024: Oct 8, 9, 10, 11, 12 (adjusted Saturday) are the 5 working days.
    assert add_working_days(date(2024, 9, 30), 5) == date(2024, 10, 12)


def test_thirty_working_days_limit_over_spring_festival_2024():
    # 10–17 Feb off; Sundays 4 and 18 Feb worked: the 30th working day after 1 Feb is 19 Mar.
    assert add_working_days(date(2024, 2, 1), 30) == date(2024, 3, 19)


def test_working_days_between_matches_add():
    start = date(2024, 9, 30)
    assert working_days_between(start, add_working_days(start, 17)) == 17
    assert working_days_between(start, start) == 0


def test_year_without_published_holidays_is_a_clear_error():
    with refused(Error.NO_HOLIDAY_CALENDAR):
        is_workday(date(2099, 1, 5))


def test_the_year_after_the_last_published_one_counts_monday_to_friday_provisionally():
    following = last_published_year() + 1
    friday = next(
        date(following, 1, d) for d in range(1, 8) if date(following, 1, d).weekday() == 4
    )
    assert is_provisional(friday) and not is_provisional(date(following - 1, 12, 31))
    assert add_working_days(friday, 1) == friday.replace(day=friday.day + 3)  # the Monday
    assert is_workday(friday) and not is_workday(friday.replace(day=friday.day + 1))
