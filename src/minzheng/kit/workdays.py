"""Working-day arithmetic for statutory deadlines, with China's holidays and adjusted workdays.

The holiday table comes from chinese-calendar, which covers the years the State Council has
announced. The schedule of the next year is published only around November, yet a 30- or
45-working-day limit started in the autumn runs into it: for that one year Monday to Friday
count, provisionally (`is_provisional` says so; upgrade chinesecalendar once it is published).
Any later date raises a clear error: a legal deadline computed on a guess is worse than none.
"""

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from minzheng.kit.errors import Error


@lru_cache(maxsize=1)
def last_published_year() -> int:
    return max(day.year for day in chinese_calendar.holidays)


def is_provisional(day: date) -> bool:
    """Whether `day` falls in the year counted Monday to Friday until its schedule is known."""
    return day.year == last_published_year() + 1


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if is_provisional(day):
            return day.weekday() < 5
        raise Error.NO_HOLIDAY_CALENDAR.error(year=day.year) from None


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the start day itself is not counted).

    E.g. a 30-working-day limit for an application received on `start` ends on
    add_working_days(start, 30).
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]: how many of a limit have elapsed by `end`."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_workday(start + timedelta(n)))
