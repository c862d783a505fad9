"""Reading cases for screens: each role's work queue (待办) with counts, overdue lists, the public
notice of a village, and a case's timeline."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from minzheng.cases.models import Case, Status
from minzheng.cases.workflow import PROCEDURE
from minzheng.kit.masking import mask_name
from minzheng.procedures import selectors as procedures
from minzheng.procedures.models import Deadline

SHOWN = 50  # a queue's first rows on the page


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    cases: QuerySet

    @property
    def count(self) -> int:
        return self.cases.count()

    @property
    def shown(self) -> list[Case]:
        return with_periods(self.cases[:SHOWN])


def work_queues(user, today: date) -> list[Queue]:
    """The to-do lists this user's permissions give, scoped to the user's region: one per
    queued step of cases/workflow.py, then aid first awaiting paperwork, reviews coming due
    and gradual exits at their end."""
    return [
        Queue(q.key, q.label, q.records) for q in procedures.work_queues(PROCEDURE, user, today)
    ]


def overdue(user, today: date) -> QuerySet:
    """Open cases past their decision deadline, and aid-first cases past their paperwork date:
    every case with a running time limit past its end."""
    return procedures.overdue(PROCEDURE, user, today)


def with_periods(cases) -> list[Case]:
    """The cases with their periods read in one query (the tables show their deadlines)."""
    cases = list(cases)
    found: dict[int, dict] = {case.pk: {} for case in cases}
    rows = Deadline.objects.filter(procedure=PROCEDURE.code, record_id__in=list(found))
    for row in rows:
        found[row.record_id][row.kind] = row
    for case in cases:
        case.__dict__["periods"] = found[case.pk]
    return cases


def villages_under_notice(user, today: date) -> list[str]:
    """The codes of the villages of the user's region with a case under public notice today."""
    return sorted(
        set(_under_notice(PROCEDURE.records_for(user), today).values_list("region_id", flat=True))
    )


def _under_notice(cases: QuerySet, today: date) -> QuerySet:
    notices = procedures.running(PROCEDURE, "publicity").filter(due_on__gte=today)
    return cases.filter(status=Status.PUBLICISED, pk__in=notices.values("record_id"))


def public_notice(village_code: str, today: date) -> list[dict]:
    """What the law allows to be shown during the 公示 (masked name, household size, program,
    amount) for the cases of one village under notice today. No login: nothing else leaves."""
    village = Case.objects.filter(region_id=village_code).select_related("household", "snapshot")
    rows = []
    for case in with_periods(_under_notice(village, today).order_by("number")):
        amount = _proposed_amount(case)
        if amount is None:  # never publicised (the 公示 step refuses it): no "—" row either
            continue
        head = case.household.members.filter(relation="head").first()
        rows.append(
            {
                "number": case.number,
                "name": mask_name(head.name) if head else "",
                "members": case.household.members.filter(co_resident=True).count(),
                "program": case.get_program_display(),
                "amount_fen": amount,
                "ends_on": case.publicity_ends_on,
            }
        )
    return rows


def _proposed_amount(case: Case) -> int | None:
    from minzheng.cases.rules_of_case import amount

    return amount(case)


def case_timeline(case: Case) -> QuerySet:
    return procedures.timeline(PROCEDURE, case)
