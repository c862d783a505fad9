"""Granted cases with chosen dates for the figures' tests: the case row as a county decision
leaves it, then its later life (review, suspension, end) through the real case services, with
the clock set to the day of each step (the audit event dates a suspension)."""

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from minzheng.cases import services
from minzheng.cases.models import Case, Program, Status
from minzheng.cases.rules_of_case import months_after
from minzheng.cases.workflow import PROCEDURE
from minzheng.procedures import events

_numbers = itertools.count(1)


def granted(
    household, program: str = "dibao", *, decided_on: date, amount_fen: int, by, person=None
):
    """An approved case (a 临时救助 grant has no start month), with the decision's audit event."""
    one_off = program == Program.TEMPORARY
    n = next(_numbers)
    case = Case.objects.create(
        number=f"SA-T-{n:05d}",
        program=program,
        household=household,
        person=person,
        region_id=household.region_id,
        status=Status.APPROVED,
        submitted_on=decided_on - timedelta(days=20),
        accepted_on=decided_on - timedelta(days=19),
        decided_on=decided_on,
        amount_fen=amount_fen,
        start_month=None if one_off else months_after(decided_on, 1),
        notice_number=f"民救〔{decided_on.year}〕330122-T{n:04d}号",
        next_review_on=None if one_off else months_after(decided_on, 12),
        created_by=by,
    )
    details = {"amount_fen": amount_fen, "decided_on": decided_on}
    events.step_taken(PROCEDURE, by, case, "approve", Status.AWAITING, details)
    return case


def at(day: date):
    """A moment in the afternoon of `day`, Beijing time."""
    return timezone.make_aware(datetime.combine(day, time(15, 0)))


def step(monkeypatch, actor, case, action: str, day: date, **data) -> Case:
    """One case step taken on `day`, with the clock of the audit log set to that day."""
    case.refresh_from_db()
    with monkeypatch.context() as clock:
        clock.setattr("django.utils.timezone.now", lambda: at(day))
        return services.perform(actor, case.pk, action, case.version, day, **data)
