"""How a domain declares a statutory procedure: its record model, its steps and their periods.

A step names who may take it (permission), from which statuses, to which status, what it
checks and writes (handler), the periods it starts, pauses, resumes, extends or stops, and the
document it issues. The skeleton that takes any step is services.perform; work queues and
overdue lists are read off the same table (selectors.py), so a new step needs no other code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, QuerySet

from minzheng.audit.actions import add_labels
from minzheng.kit.errors import NotFound
from minzheng.kit.periods import CALENDAR_DAYS
from minzheng.procedures.parameters import region_parameter
from minzheng.regions.scoping import scope_queryset

# handler(actor, record, today, data) → the record's changed columns; raises ValidationFailed.
Handler = Callable[[Any, Model, date, dict], dict]


@dataclass(frozen=True)
class Period:
    """A period a step starts. `length` is a number of `unit`s, or the name of a parameter
    (policies/parameters/) whose value and unit (日, 工作日, 月) the law sets for the record's
    region on the start day. `extended`: the whole length once extended (at most once)."""

    kind: str
    label: str  # Chinese: 审批时限, 公示期 …
    length: int | str
    unit: str = CALENDAR_DAYS
    extended: int | str | None = None
    notice: bool = False  # a notice that just runs its days: no rest-day rule, never overdue
    basis: str = ""


@dataclass(frozen=True)
class Step:
    action: str
    label: str  # Chinese, for buttons, queues, the timeline and the audit screen
    permission: str
    sources: frozenset[str]
    target: str | None = None  # None: the status stays (a record added, a period moved)
    handler: Handler | None = None
    variants: frozenset[str] | None = None  # only for these values of the variant field
    starts: tuple[Period, ...] = ()
    stops: tuple[str, ...] = ()  # kinds of period this step meets
    pauses: tuple[str, ...] = ()
    resumes: tuple[str, ...] = ()
    extends: str | None = None
    document: Callable[[Any, Model], Any] | None = None  # issues the step's document
    queue: bool = False  # records waiting for this step make a work queue
    offered: bool = True  # False: taken by another service (a death recorded), not a button


@dataclass(frozen=True)
class Queue:
    """A work queue that is not "waiting for a step": e.g. reviews coming due."""

    key: str
    label: str
    permission: str
    records: Callable[[QuerySet, date], QuerySet]


@dataclass(frozen=True)
class Procedure:
    code: str  # the audit object type, and the key of its deadlines and attachments
    label: str
    model: type[Model]  # a procedures.models.Record or a model with the same columns
    steps: tuple[Step, ...]
    view_permission: str
    closed: frozenset[str]  # statuses in which every running period stops
    noun: str = "事项"  # what the messages call a record: 案件, 备案 …
    detail_url: str = ""  # the URL name of a record's page (documents link back to it)
    not_found: str = "对象不存在或不在您的管辖范围内。"
    variant_field: str | None = None
    # (parameter name, day, record) → the parameter's value and unit for the record
    parameter: Callable[[str, date, Model], tuple[Any, str]] = region_parameter
    # what every audit event of a record carries besides its status
    details: Callable[[Model], dict] = lambda record: {"number": record.number}
    queues: tuple[Queue, ...] = ()
    event_labels: dict[str, str] = field(default_factory=dict)  # events that are not steps
    select_related: tuple[str, ...] = ()
    attachment_kinds: dict[str, str] = field(default_factory=dict)
    attach_permission: str = ""
    by_action: dict[str, Step] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_action", {s.action: s for s in self.steps})
        common = {"submitted": "提交申请", "attachment_added": "上传材料"}
        object.__setattr__(self, "event_labels", common | self.event_labels)

    def step(self, action: str) -> Step:
        try:
            return self.by_action[action]
        except KeyError:
            raise ValueError(f"unknown {self.code} action {action!r}") from None

    def records_for(self, user) -> QuerySet:
        """The records in the user's region (every read of a record starts here)."""
        return scope_queryset(self.model.objects.select_related(*self.select_related), user)

    def record_for(self, user, pk) -> Model:
        try:
            return self.records_for(user).get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise NotFound(self.not_found) from None

    def may_leave(self, step: Step, record: Model) -> bool:
        """Whether the step may be taken from the record's status (and variant)."""
        if record.status not in step.sources:
            return False
        return step.variants is None or self.variant_of(record) in step.variants

    def variant_of(self, record: Model):
        return getattr(record, self.variant_field) if self.variant_field else None

    def steps_for(self, user, record: Model) -> list[Step]:
        """The steps this user may take on the record now (the record page's buttons)."""
        return [
            s
            for s in self.steps
            if s.offered and self.may_leave(s, record) and user.has_perm(s.permission)
        ]

    def status_label(self, value: str | None) -> str:
        field_ = self.model._meta.get_field("status")
        return str(dict(field_.flatchoices).get(value, value or ""))


PROCEDURES: dict[str, Procedure] = {}


def register(procedure: Procedure) -> Procedure:
    """Make a procedure known by its code (attachments, documents and the audit screen find it
    there); registering the same code twice is a mistake in the declarations."""
    if PROCEDURES.get(procedure.code, procedure) is not procedure:
        raise ValueError(f"procedure {procedure.code!r} is declared twice")
    PROCEDURES[procedure.code] = procedure
    add_labels(lambda: _labels(procedure))
    return procedure


def _labels(procedure: Procedure) -> dict[str, str]:
    """Its audit actions' Chinese labels: each step's, and its other events'."""
    code = procedure.code
    events = {f"{code}.{name}": label for name, label in procedure.event_labels.items()}
    return events | {f"{code}.{step.action}": step.label for step in procedure.steps}


def procedure(code: str) -> Procedure:
    try:
        return PROCEDURES[code]
    except KeyError:
        raise NotFound() from None
