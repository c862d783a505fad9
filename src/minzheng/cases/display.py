"""What the case screens show, shaped from the domain's reads: timeline rows with Chinese step
labels, the kept evaluation's rows, the overdue marks. No queries of their own beyond the
objects they are given."""

from datetime import date

from minzheng.cases.models import Case
from minzheng.cases.workflow import PROCEDURE
from minzheng.procedures import events


def action_label(action: str) -> str:
    """The Chinese label of an audited case action ("case.approve" → 批准)."""
    return events.label(PROCEDURE, action)


def status_label(value: str | None) -> str:
    return PROCEDURE.status_label(value)


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
        "decision_overdue": _late(case, "decision", today),
        "paperwork_overdue": _late(case, "paperwork", today),
    }


def _late(case: Case, kind: str, today: date) -> bool:
    period = case.periods.get(kind)
    return bool(period and period.running and period.due_on and period.due_on < today)


def is_decided(case: Case) -> bool:
    """A decision notice exists: approved, rejected or granted (and what followed)."""
    return bool(case.decided_on and case.notice_number)
