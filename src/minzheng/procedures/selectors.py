"""Reads every procedure shares: work queues read off the steps table, overdue lists read off
the running periods, and a record's periods and timeline."""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from minzheng.audit.models import AuditEvent
from minzheng.procedures.declare import Procedure
from minzheng.procedures.models import Deadline


@dataclass(frozen=True)
class WorkQueue:
    key: str
    label: str
    records: QuerySet

    @property
    def count(self) -> int:
        return self.records.count()


def work_queues(procedure: Procedure, user, today: date) -> list[WorkQueue]:
    """The to-do lists this user's permissions give, in the user's region: one per queued step
    (the records in a status it may leave, of a variant it applies to), then the procedure's
    other queues; the non-empty ones first."""
    mine = procedure.records_for(user)
    queues = []
    for step in procedure.steps:
        if step.queue and user.has_perm(step.permission):
            waiting = mine.filter(status__in=step.sources)
            if step.variants is not None:
                waiting = waiting.filter(**{f"{procedure.variant_field}__in": step.variants})
            queues.append(WorkQueue(step.action, step.label, waiting))
    for queue in procedure.queues:
        if user.has_perm(queue.permission):
            queues.append(WorkQueue(queue.key, queue.label, queue.records(mine, today)))
    return [q for q in queues if q.count] + [q for q in queues if not q.count]


def running(procedure: Procedure, kind: str | None = None) -> QuerySet[Deadline]:
    rows = Deadline.objects.filter(procedure=procedure.code, stopped_on__isnull=True)
    return rows.filter(kind=kind) if kind else rows


def late(procedure: Procedure, today: date, kind: str | None = None) -> QuerySet[Deadline]:
    """Running time limits past their end (a notice period is never late)."""
    return running(procedure, kind).filter(due_on__lt=today, notice=False)


def with_running(procedure: Procedure, records: QuerySet, kind: str) -> QuerySet:
    """The records with a running period of this kind (e.g. aid first awaiting paperwork)."""
    return records.filter(pk__in=running(procedure, kind).values("record_id"))


def overdue(procedure: Procedure, user, today: date) -> QuerySet:
    """The user's records with a running period past its end, earliest end first; each record
    carries `overdue_since` (the earliest such end)."""
    late_rows = late(procedure, today)
    earliest = late_rows.filter(record_id=OuterRef("pk")).order_by("due_on").values("due_on")[:1]
    records = procedure.records_for(user).filter(pk__in=late_rows.values("record_id"))
    return records.annotate(overdue_since=Subquery(earliest)).order_by("overdue_since", "number")


def overdue_count(procedure: Procedure, region_prefix: str, today: date, kind=None) -> int:
    """How many records of a region have a running period (of a kind) past its end."""
    rows = late(procedure, today, kind).filter(region__code__startswith=region_prefix)
    return rows.values("record_id").distinct().count()


def periods_of(procedure: Procedure, record) -> dict[str, Deadline]:
    rows = Deadline.objects.filter(procedure=procedure.code, record_id=record.pk)
    return {row.kind: row for row in rows}


def timeline(procedure: Procedure, record) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=procedure.code, object_id=str(record.pk)).order_by(
        "seq"
    )
