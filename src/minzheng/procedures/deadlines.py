"""The periods a step starts, pauses, resumes, extends or stops on a record.

`prepare` works out every change a step makes to the record's periods and refuses an
impossible one (a second extension, resuming what is not paused) before anything is written;
`Changes.save` writes them after the record's own write. Ends are counted by kit.periods: the
unit the law says, the start day not counted, a last day on a rest day moved on, paused days
not counted."""

from dataclasses import dataclass, field
from datetime import date

from minzheng.kit.periods import Pause, period_end, unit_of
from minzheng.procedures.declare import Period, Procedure, Step
from minzheng.procedures.errors import Error
from minzheng.procedures.models import Deadline


@dataclass
class Changes:
    rows: list[Deadline] = field(default_factory=list)
    audit: dict = field(default_factory=dict)  # what the step's audit event says of them

    def save(self) -> None:
        for row in self.rows:
            row.save()


def prepare(procedure: Procedure, step: Step, record, target: str, today: date) -> Changes:
    running = _rows(procedure, record)
    changes = Changes()
    for period in step.starts:
        row = _started(procedure, record, period, today, running.get(period.kind))
        _changed(changes, row, "due_on")
    for kind in step.pauses:
        if (row := running.get(kind)) and row.running and row.paused_since is None:
            row.paused_since, row.due_on = today, None
            _changed(changes, row, "paused_since")
    for kind in step.resumes:
        _changed(changes, _resumed(running.get(kind), today), "due_on")
    if step.extends:
        _changed(changes, _extended(procedure, running.get(step.extends), record), "due_on")
    stopping = set(step.stops) | (set(running) if target in procedure.closed else set())
    for kind in sorted(stopping):
        if (row := running.get(kind)) and row.running and row not in changes.rows:
            row.stopped_on = today
            _changed(changes, row, "stopped_on")
    return changes


def _rows(procedure: Procedure, record) -> dict[str, Deadline]:
    rows = Deadline.objects.filter(procedure=procedure.code, record_id=record.pk)
    return {row.kind: row for row in rows}


def _changed(changes: Changes, row: Deadline, what: str) -> None:
    changes.rows.append(row)
    value = getattr(row, what)
    changes.audit[f"{row.kind}_{what}"] = value.isoformat() if value else None


def _started(procedure, record, period: Period, today: date, row: Deadline | None) -> Deadline:
    length, unit = _length(procedure, record, period.length, period.unit, today)
    row = row or Deadline(procedure=procedure.code, record_id=record.pk, kind=period.kind)
    row.region_id, row.label, row.basis = record.region_id, period.label, period.basis
    row.unit, row.length, row.notice = unit, length, period.notice
    row.started_on, row.extended, row.pauses = today, False, []
    row.paused_since = row.stopped_on = None
    _count(row)
    return row


def _length(procedure, record, length: int | str, unit: str, day: date) -> tuple[int, str]:
    """A number of `unit`s, or a parameter's value in the unit the parameter names."""
    if isinstance(length, int):
        return length, unit
    value, parameter_unit = procedure.parameter(length, day, record)
    return int(value), unit_of(parameter_unit)


def _resumed(row: Deadline | None, today: date) -> Deadline:
    if row is None or row.paused_since is None:
        raise Error.PERIOD_NOT_PAUSED.error(period=row.label if row else "期限")
    row.pauses = [*row.pauses, [row.paused_since.isoformat(), today.isoformat()]]
    row.paused_since = None
    _count(row)
    return row


def _extended(procedure: Procedure, row: Deadline | None, record) -> Deadline:
    if row is None or not row.running:
        raise Error.NO_PERIOD_TO_EXTEND.error()
    if row.extended:
        raise Error.PERIOD_EXTENDED_ONCE.error(period=row.label)
    period = period_of(procedure, row.kind)
    row.length, row.unit = _length(procedure, record, period.extended, row.unit, row.started_on)
    row.extended = True
    if row.paused_since is None:
        _count(row)
    return row


def period_of(procedure: Procedure, kind: str) -> Period:
    return next(p for s in procedure.steps for p in s.starts if p.kind == kind)


def _count(row: Deadline) -> None:
    pauses = [Pause(date.fromisoformat(a), date.fromisoformat(b)) for a, b in row.pauses]
    end = period_end(
        row.started_on, row.length, row.unit, pauses=pauses, rest_day_rule=not row.notice
    )
    row.due_on, row.provisional = end.day, end.provisional
