"""Reading cases for screens: each role's work queue (待办) with counts, overdue lists, the public
notice of a village, and a case's timeline."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from minzheng.audit.models import AuditEvent
from minzheng.cases.models import Case, Status
from minzheng.cases.services import cases_for
from minzheng.cases.workflow import OPEN, STEPS
from minzheng.kit.masking import mask_name

REVIEW_NOTICE = timedelta(days=30)  # reviews due within a month appear on the queue


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    cases: QuerySet

    @property
    def count(self) -> int:
        return self.cases.count()


def work_queues(user, today: date) -> list[Queue]:
    """The to-do lists this user's permissions give, scoped to the user's region."""
    mine = cases_for(user)
    queues = []
    for action in ("accept", "investigate", "review", "publicise", "close_publicity", "approve"):
        the_step = STEPS[action]
        if user.has_perm(the_step.permission):
            queues.append(Queue(action, the_step.label, mine.filter(status__in=the_step.sources)))
    if user.has_perm("cases.investigate_case"):
        queues.append(
            Queue(
                "paperwork",
                "先行救助待补办手续",
                mine.filter(emergency=True, paperwork_done_on__isnull=True),
            )
        )
    if user.has_perm("cases.recheck_case"):
        queues.append(
            Queue(
                "recheck",
                "待复核",
                mine.filter(status=Status.APPROVED, next_review_on__lte=today + REVIEW_NOTICE),
            )
        )
    if user.has_perm("cases.decide_case"):
        queues.append(
            Queue(
                "taper",
                "渐退期满待终止",
                mine.filter(status=Status.APPROVED, taper_until__lte=today),
            )
        )
    return [q for q in queues if q.count] + [q for q in queues if not q.count]


def overdue(user, today: date) -> QuerySet:
    """Open cases past their decision deadline, and aid-first cases past their paperwork date."""
    return cases_for(user).filter(
        Q(status__in=OPEN, due_on__lt=today)
        | Q(emergency=True, paperwork_done_on__isnull=True, paperwork_due_on__lt=today)
    )


def public_notice(village_code: str, today: date) -> list[dict]:
    """What the law allows to be shown during the 公示 (masked name, household size, program,
    amount) for the cases of one village under notice today. No login: nothing else leaves."""
    cases = Case.objects.filter(
        region_id=village_code, status=Status.PUBLICISED, publicity_ends_on__gte=today
    ).select_related("household", "snapshot")
    rows = []
    for case in cases.order_by("number"):
        head = case.household.members.filter(relation="head").first()
        rows.append(
            {
                "number": case.number,
                "name": mask_name(head.name) if head else "",
                "members": case.household.members.filter(co_resident=True).count(),
                "program": case.get_program_display(),
                "amount_fen": _proposed_amount(case),
                "ends_on": case.publicity_ends_on,
            }
        )
    return rows


def _proposed_amount(case: Case) -> int | None:
    from minzheng.cases.rules_of_case import amount

    return amount(case)


def case_timeline(case: Case) -> QuerySet:
    return AuditEvent.objects.filter(object_type="case", object_id=str(case.pk)).order_by("seq")
