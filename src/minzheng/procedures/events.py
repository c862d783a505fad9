"""The audit events of procedures: a record opened, a step taken, something noted on a record.
Every event of a record has the procedure's code as its object type and the record's id, so a
record's timeline is one query; the action is "<code>.<step action>" and its Chinese label is
the step's (audit screen, timelines)."""

from minzheng.audit.services import record as audit


def opened(procedure, actor, record, details: dict) -> None:
    _event(procedure, actor, record, "submitted", None, details)


def step_taken(
    procedure, actor, record, action: str, before: str, details: dict, reason=""
) -> None:
    _event(procedure, actor, record, action, before, details, reason)


def noted(procedure, actor, record, action: str, details: dict) -> None:
    """An event on the record that does not move it (a consent, an attachment …)."""
    _event(procedure, actor, record, action, None, details)


def _event(procedure, actor, record, action, before, details, reason="") -> None:
    audit(
        f"{procedure.code}.{action}",
        actor=actor,
        object_type=procedure.code,
        object_id=record.pk,
        region_code=record.region_id,
        before={"status": before} if before else None,
        after={"status": record.status, **procedure.details(record), **details},
        reason=reason,
    )


def label(procedure, action: str) -> str:
    """The Chinese label of "<code>.<action>" (a step's label, or the procedure's own events)."""
    name = action.removeprefix(f"{procedure.code}.")
    if name in procedure.by_action:
        return procedure.by_action[name].label
    return procedure.event_labels.get(name, action)
