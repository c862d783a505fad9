"""A target's status from its value, its target value and the time elapsed: done when reached;
on track when the value is at least the share of the target that the days elapsed since 1
January call for by the deadline (compared in integers, without dividing); behind otherwise.
Past the deadline and not reached, it is behind and overdue."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from minzheng.targets.models import Target

Status = Target.Status


@dataclass(frozen=True)
class Standing:
    value: Decimal
    status: str
    overdue: bool
    percent: Decimal | None  # of the target value, one decimal; None for a zero target
    expected_percent: Decimal  # where the time elapsed says it should be

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def standing(value: Decimal, target_value: Decimal, year: int, deadline: date, today: date):
    start = date(year, 1, 1)
    span = max((deadline - start).days, 1)
    elapsed = min(max((today - start).days, 0), span)
    if value >= target_value:
        status = Status.DONE
    elif value * span >= target_value * elapsed and today <= deadline:
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    return Standing(
        value=value,
        status=status,
        overdue=status != Status.DONE and today > deadline,
        percent=_one(value * 100 / target_value) if target_value else None,
        expected_percent=_one(Decimal(elapsed * 100) / span),
    )


def _one(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
