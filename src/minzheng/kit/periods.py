"""Periods (期间) as the law counts them, for every statutory deadline.

民法典 arts. 201–203 (POLICY_NOTES_REGISTRIES §0.1):
- the start day is not counted: n days after an act on day D run from D + 1;
- a period in months ends on the same day of the final month, or on its last day when the
  final month has no such day;
- when the last day is a rest day (法定休假日), the period ends on the next working day.

The unit is what the text says: 工作日 (working days, on the State Council's holiday calendar
in kit/workdays) only where a text says 工作日; plain 日 is calendar days (§0.3). A rest day is
a public holiday or a weekend not made a working day: courts read 法定休假日 as including
Saturdays and Sundays, and an adjusted working Saturday is a working day.

Days inside a pause (a public notice, a hearing, an expert assessment: 行政许可法 art. 45) do
not count. An end that depends on a day of the year whose holiday schedule is not published
yet is provisional (kit.workdays counts that year Monday to Friday until it is).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from minzheng.kit.workdays import is_provisional, is_workday

CALENDAR_DAYS, WORKING_DAYS, MONTHS = "calendar_day", "working_day", "month"
UNIT_LABELS = {CALENDAR_DAYS: "日", WORKING_DAYS: "工作日", MONTHS: "个月"}
# How a parameter's unit (policies/parameters/**.yaml) names the unit of the period it sets.
UNITS_OF_PARAMETERS = {
    "日": CALENDAR_DAYS,
    "天": CALENDAR_DAYS,
    "工作日": WORKING_DAYS,
    "月": MONTHS,
}


@dataclass(frozen=True)
class Pause:
    """Counting stops after `since` and starts again after `until` (None: still paused)."""

    since: date
    until: date | None = None

    def holds(self, day: date) -> bool:
        return self.since < day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class End:
    day: date
    provisional: bool  # depends on a year whose holiday schedule is not published yet


def unit_of(parameter_unit: str) -> str:
    """The period unit a parameter's unit names (工作日 → working days, 日 → calendar days)."""
    try:
        return UNITS_OF_PARAMETERS[parameter_unit]
    except KeyError:
        raise ValueError(f"a period cannot be counted in {parameter_unit!r}") from None


def period_end(
    start: date,
    length: int,
    unit: str,
    *,
    pauses: Iterable[Pause] = (),
    rest_day_rule: bool = True,
) -> End:
    """The last day of a period of `length` units started on `start` (see the module).

    `rest_day_rule=False` for a notice that simply runs its days (nothing is due on its last
    day, so art. 203 has nothing to protect)."""
    if length < 0:
        raise ValueError("a period cannot be negative")
    pauses = tuple(pauses)
    if any(p.until is None for p in pauses):
        raise ValueError("a paused period has no end until it resumes")
    if unit == MONTHS:
        day = _add_paused_days(add_months(start, length), start, pauses)
        provisional = False
    else:
        day, provisional = _count_days(start, length, unit == WORKING_DAYS, pauses)
    if rest_day_rule:
        while not is_workday(day):
            provisional = provisional or is_provisional(day)
            day += timedelta(days=1)
    return End(day, provisional or is_provisional(day))


def _count_days(start: date, length: int, working: bool, pauses) -> tuple[date, bool]:
    day, counted, provisional = start, 0, False
    while counted < length:
        day += timedelta(days=1)
        if any(p.holds(day) for p in pauses):
            continue
        if working:
            provisional = provisional or is_provisional(day)
            if not is_workday(day):
                continue
        counted += 1
    return day, provisional


def _add_paused_days(end: date, start: date, pauses) -> date:
    """A period in months is lengthened by the calendar days it was paused before its end."""
    paused = sum((min(p.until, end) - max(p.since, start)).days for p in pauses if p.since < end)
    return end + timedelta(days=max(paused, 0))


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month when it has no such day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
