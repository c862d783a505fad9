"""What a resident reads of his own application (我的申请 → one case): the decision with its
reasons or amount, the notice issued with it, and the statutory steps as a progress line.

Only the resident's own household's cases (online.own_household): any other case is "not
found". The progress line is read off the case's timeline (its audit events) and the steps
table (cases/workflow.py), with each step's date taken from what the case keeps of it."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from minzheng.cases import display, online
from minzheng.cases.errors import Error
from minzheng.cases.models import Case
from minzheng.cases.notices import DECISION, REJECTION, decision_of
from minzheng.cases.selectors import case_timeline
from minzheng.cases.workflow import PROCEDURE
from minzheng.documents.models import Document
from minzheng.documents.selectors import of_record
from minzheng.procedures.selectors import periods_of

# The resident's seven steps, in order, and the steps of the table that do each.
STAGES = ("提交申请", "受理", "调查", "审核", "公示", "审批", "决定")
DECIDING = ("approve", "reject", "grant_small", "grant_emergency", "grant_automatic")
STAGE_OF = {
    "submitted": "提交申请",
    "accept": "受理",
    "investigate": "调查",
    "review": "审核",
    "publicise": "公示",
    "close_publicity": "公示",
    **{action: "审批" for action in DECIDING},
}
# A step's event that begins its stage rather than ending it (公示 runs until it is closed).
BEGINS = frozenset({"publicise"})


@dataclass(frozen=True)
class Stage:
    label: str
    state: str  # "done", "current", "todo" or "skipped" (a path without it: 先行救助 …)
    on: date | None = None
    until: date | None = None  # 公示: the end of the notice period


def own_case(resident, pk: int) -> Case:
    """One case of the resident's own household; any other is not found."""
    household = online.own_household(resident)
    case = household.cases.select_related("household", "person", "snapshot").filter(pk=pk)
    found = case.first()
    if found is None:
        raise Error.RESIDENT_CASE_NOT_FOUND.error()
    return found


def decision(case: Case) -> dict | None:
    """The decision as the notice states it: rejected with its reasons, or approved with the
    amount (monthly from a month, or once). None while undecided."""
    if not display.is_decided(case):
        return None
    payload = decision_of(case)["payload"]
    return {
        "rejected": payload.get("rejected", False),
        "one_off": payload.get("one_off", False),
        "reasons": payload.get("reasons", ""),
        "amount_fen": payload.get("amount_fen"),
        "start_month": payload.get("start_month"),
        "decided_on": payload.get("decided_on") or case.decided_on,
        "notice_number": case.notice_number,
    }


def notice(case: Case) -> Document | None:
    """The decision notice issued for the case (None for a case decided before notices were
    kept: the notice page then prints it from the case)."""
    kept = of_record(PROCEDURE.code, case.pk).filter(kind__in=(DECISION.code, REJECTION.code))
    return kept.filter(number=case.notice_number).first() if case.notice_number else None


def progress(case: Case) -> list[Stage]:
    """The seven steps: each done one with its date, the one the case waits on highlighted;
    a step the case's path went past without (先行救助, 小额审批 …) is marked skipped."""
    done: dict[str, date] = {"提交申请": case.submitted_on}
    begun: set[str] = set()
    for event in case_timeline(case):
        action = event.action.removeprefix(f"{PROCEDURE.code}.")
        stage = STAGE_OF.get(action)
        if stage is None:
            continue
        if action in BEGINS:
            begun.add(stage)
        else:
            done.setdefault(stage, _date_of(case, stage, event))
    if case.accepted_on and "受理" not in done and "审批" in done:
        done["受理"] = case.accepted_on  # aid first and 免申即享 accept as they decide
    if "审批" in done:
        done["决定"] = _notice_date(case) or done["审批"]
    publicity = periods_of(PROCEDURE, case).get("publicity")
    current = _waiting_on(case)
    last = max((STAGES.index(s) for s in done), default=0)
    stages = []
    for index, label in enumerate(STAGES):
        if label in done:
            state = "done"
        elif label == current:
            state = "current"
        elif index < last:
            state = "skipped"
        else:
            state = "todo"
        on = done.get(label)
        until = None
        if label == "公示" and publicity and (label in done or label in begun):
            on = publicity.started_on
            until = publicity.stopped_on or publicity.due_on
        stages.append(Stage(label, state, on, until))
    return stages


def _waiting_on(case: Case) -> str | None:
    """The stage of the queued step that takes the case out of its status (none once closed
    or decided)."""
    for step in PROCEDURE.steps:
        if step.queue and case.status in step.sources and step.action in STAGE_OF:
            return STAGE_OF[step.action]
    return None


def _date_of(case: Case, stage: str, event) -> date:
    """The day a stage was done: what the case keeps of it, else the day of its event."""
    if stage == "受理" and case.accepted_on:
        return case.accepted_on
    if stage == "调查":
        visit = case.investigations.order_by("-visited_on").first()
        if visit:
            return visit.visited_on
    if stage == "公示":
        publicity = periods_of(PROCEDURE, case).get("publicity")
        if publicity and publicity.stopped_on:
            return publicity.stopped_on
    if stage == "审批" and case.decided_on:
        return case.decided_on
    return timezone.localdate(event.at)


def _notice_date(case: Case) -> date | None:
    document = notice(case)
    return document.issued_on if document else None
