"""Opening a record and taking one declared step on it: the one skeleton of every procedure.

`perform` checks in this order — the record in the actor's region (else NotFound, 404), the
step's permission (Forbidden, 403), the step allowed from the record's status and variant
(Conflict, 409), the step's own validation (ValidationFailed, 422) — then writes the record
with an optimistic version check (a stale version is a Conflict), moves its periods, records
the audit event and issues the step's document. It runs in a savepoint: a refusal at any point
leaves nothing behind. Callers (views, API, CLI) own the transaction.
"""

from datetime import date

from django.db import transaction
from django.db.models import F, Model

from minzheng.accounts.permissions import require_permission
from minzheng.procedures import deadlines, events
from minzheng.procedures.declare import Procedure
from minzheng.procedures.errors import Error
from minzheng.procedures.numbering import next_number
from minzheng.regions import codes


def perform(
    procedure: Procedure, actor, record_id: int, action: str, version: int, today: date, **data
) -> Model:
    """Take one step; `version` is the one the actor saw. `data` is the step's input; its key
    "audit" adds details to the event, "reason" becomes the event's reason."""
    step = procedure.step(action)
    require_permission(actor, procedure.view_permission)
    record = procedure.record_for(actor, record_id)
    require_permission(actor, step.permission, Error.STEP_NOT_PERMITTED, step=step.label)
    if not procedure.may_leave(step, record):
        status = procedure.status_label(record.status)
        raise Error.WRONG_STATUS.error(noun=procedure.noun, status=status, step=step.label)
    with transaction.atomic():
        changes = step.handler(actor, record, today, data) if step.handler else {}
        target = step.target or record.status
        periods = deadlines.prepare(procedure, step, record, target, today)
        _write(procedure, record, version, target, changes)
        periods.save()
        done = procedure.records_for(actor).get(pk=record.pk)
        details = _plain(changes) | periods.audit | data.get("audit", {})
        events.step_taken(
            procedure, actor, done, action, record.status, details, data.get("reason", "")
        )
        if step.document:
            step.document(actor, done)
    return done


def _write(procedure: Procedure, record, version: int, target: str, changes: dict) -> None:
    won = procedure.model.objects.filter(
        pk=record.pk, version=version, status=record.status
    ).update(status=target, version=F("version") + 1, **changes)
    if not won:
        raise Error.TAKEN_BY_OTHER.error(noun=procedure.noun)


def _plain(changes: dict) -> dict:
    """The changed columns an audit event can hold: values, not related objects."""
    return {k: v for k, v in changes.items() if not isinstance(v, Model)}


def open_record(
    procedure: Procedure, actor, *, counter: str, prefix: str, today: date, details=None, **fields
) -> Model:
    """A new record in its first status, numbered gap-free per counter, county and year, with
    its `submitted` event."""
    county = codes.county_of(fields["region_id"])
    number = next_number(counter, county, today.year, prefix=prefix)
    record = procedure.model.objects.create(number=number, created_by=actor, **fields)
    events.opened(procedure, actor, record, details or {})
    return record
