"""The decision and rejection notices (批准 / 不予批准通知书): issued with the decision (the
`document` of the deciding steps in cases/workflow.py), numbered by the decision, addressed to
the household head by full name (it is the family's own notice), in the county bureau's name.
This module builds what they print; documents.issuing numbers, keeps and audits them."""

from minzheng.cases import rules_of_case
from minzheng.cases.models import Case, Program, Status
from minzheng.documents.issuing import issue
from minzheng.documents.kinds import Kind, register
from minzheng.documents.models import Document
from minzheng.documents.selectors import dated, of_record
from minzheng.regions import codes
from minzheng.regions.models import Region


def decision_payload(case: Case) -> dict:
    county = Region.objects.get(code=codes.county_of(case.region_id))
    head = case.household.members.filter(relation="head").first()
    rejected = case.status == Status.REJECTED
    return {
        "program": case.get_program_display(),
        "rejected": rejected,
        "one_off": case.program == Program.TEMPORARY,
        "emergency": case.emergency,
        "bureau": f"{county.name}民政局",
        "county": county.name,
        "case_number": case.number,
        "household_number": case.household.number,
        "head": head.name if head else "",
        "person": case.person.name if case.person else "",
        "submitted_on": _iso(case.submitted_on),
        "decided_on": _iso(case.decided_on),
        "amount_fen": None if rejected else case.amount_fen,
        "start_month": _iso(case.start_month),
        "next_review_on": _iso(case.next_review_on),
        "reasons": case.decision_reason if rejected else "",
        **_amount_against_evaluation(case, rejected),
    }


def _amount_against_evaluation(case: Case, rejected: bool) -> dict:
    """An approved amount other than the evaluation's: both amounts and the approver's reason
    (cases/handlers.approve keeps it as the decision's reason). Empty otherwise."""
    if rejected or case.program == Program.TEMPORARY or case.ended_on:
        return {}
    evaluated = rules_of_case.amount(case)
    if evaluated == case.amount_fen or not case.decision_reason:
        return {}
    return {"evaluated_fen": evaluated, "amount_reason": case.decision_reason}


def _iso(day):
    return day.isoformat() if day else None


DECISION = register(
    Kind("decision", "批准通知书", "notice", "民救", "cases/documents/decision.html")
)
REJECTION = register(
    Kind("rejection", "不予批准通知书", "notice", "民救", "cases/documents/decision.html")
)


def record_decision(actor, case: Case) -> Document:
    """The notice of the decision just taken, with the number the decision received."""
    kind = REJECTION if case.status == Status.REJECTED else DECISION
    payload = decision_payload(case)
    return issue(
        actor,
        kind,
        region_code=case.region_id,
        today=case.decided_on,
        payload=payload,
        subject=("case", case),
        number=case.notice_number,
        title=f"{payload['program']}{kind.title}",
    )


def decision_of(case: Case) -> dict:
    """What the case's decision notice prints: the payload kept when it was issued, or, for a
    case decided before notices were kept, its content built from the case now."""
    kept = of_record("case", case.pk).filter(
        kind__in=(DECISION.code, REJECTION.code), number=case.notice_number
    )
    document = kept.first()
    payload = document.payload if document else decision_payload(case)
    return {"number": case.notice_number, "payload": dated(payload), "kind": DECISION}
