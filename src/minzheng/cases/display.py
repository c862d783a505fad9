"""What the case screens show, shaped from the domain's reads: timeline rows with Chinese step
labels, the kept evaluation's rows, the overdue marks. No queries of their own beyond the
objects they are given."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from minzheng.cases.models import Case, Status
from minzheng.cases.workflow import OPEN, STEPS

OTHER_ACTIONS = {
    "case.submitted": _("Application submitted"),
    "case.consent_recorded": _("Consent to the check recorded"),
    "case.recheck_due": _("Review due"),
}


def action_label(action: str) -> str:
    """The Chinese label of an audited case action ("case.approve" → 批准)."""
    if action in OTHER_ACTIONS:
        return str(OTHER_ACTIONS[action])
    found = STEPS.get(action.removeprefix("case."))
    return found.label if found else action


def status_label(value: str | None) -> str:
    return str(Status(value).label) if value in Status.values else (value or "")


def timeline_rows(events) -> list[dict]:
    return [
        {
            "at": e.at,
            "actor": e.actor_name,
            "action": action_label(e.action),
            "status": status_label((e.after or {}).get("status")),
            "reason": e.reason,
        }
        for e in events
    ]


def evaluation(case: Case) -> dict | None:
    """The kept evaluation's summary: each program eligible or not with its amount; the case's
    own program first."""
    if case.snapshot is None:
        return None
    explanation = case.snapshot.explanation
    programs = sorted(explanation["programs"], key=lambda p: p["code"] != case.program)
    return {
        "as_of": explanation["as_of"],
        "facts": explanation["facts"],
        "rows": [
            {
                "code": p["code"],
                "label": p["label"],
                "eligible": p["eligible"],
                "amount_fen": p["amount_fen"] if p["eligible"] else None,
                "own": p["code"] == case.program,
            }
            for p in programs
        ],
    }


def deadlines(case: Case, today: date) -> dict:
    return {
        "decision_overdue": case.status in OPEN and case.due_on is not None and case.due_on < today,
        "paperwork_overdue": case.emergency
        and case.paperwork_done_on is None
        and case.paperwork_due_on is not None
        and case.paperwork_due_on < today,
    }


def is_decided(case: Case) -> bool:
    """A decision notice exists: approved, rejected or granted (and what followed)."""
    return bool(case.decided_on and case.notice_number)
