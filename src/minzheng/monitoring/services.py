"""Warnings: raised from the indicators' findings (one per indicator, person and period, so a
re-run adds nothing), then assigned, verified by a visit (核实) and closed with an outcome.

Closing a 救助对象死亡 warning as 排除 records the death and ends the person's cases through the
cases app, as a county decision.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db.models import F
from django.utils import timezone

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.cases import deaths
from minzheng.kit.errors import Conflict, NotFound
from minzheng.kit.workdays import add_working_days
from minzheng.monitoring.errors import Error
from minzheng.monitoring.events import Event
from minzheng.monitoring.indicators import BY_CODE
from minzheng.monitoring.models import Warning
from minzheng.regions import codes
from minzheng.regions.scoping import scope_queryset
from minzheng.rules.parameters import resolve
from minzheng.rules.publication import effective_tree

OUTCOMES = Warning.Outcome.values


def raise_warnings(
    region_code: str, period: str, found: pl.DataFrame, today: date, actor=None
) -> int:
    """Store the findings as warnings; returns how many are new."""
    tree = effective_tree()
    deadlines = {
        severity: add_working_days(
            today, int(resolve(tree[f"monitoring.deadline_{severity}"], today, region_code).value)
        )
        for severity in ("red", "orange", "yellow")
    }
    rows = [
        Warning(
            indicator=r["indicator"],
            severity=r["severity"],
            period=period,
            person_id=r["person_id"],
            household_id=r["household_id"],
            region_id=r["region_code"],
            detail=json.loads(r["detail"]),
            due_on=deadlines[r["severity"]],
        )
        for r in found.iter_rows(named=True)
    ]
    before = Warning.objects.filter(period=period).count()
    Warning.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    created = Warning.objects.filter(period=period).count() - before
    record(
        Event.WARNINGS_RAISED,
        actor=actor,
        object_type="region",
        object_id=region_code,
        region_code=region_code,
        after={"period": period, "found": found.height, "new": created},
    )
    return created


def warning_for(actor, warning_id: int) -> Warning:
    try:
        return scope_queryset(Warning.objects.all(), actor).get(pk=warning_id)
    except Warning.DoesNotExist:
        raise NotFound() from None


def assign(actor, warning_id: int, version: int, region_code: str) -> Warning:
    """Send the warning to a township or village inside both the actor's and the household's
    region."""
    require_permission(actor, "monitoring.assign_warning", Error.ASSIGN_NOT_PERMITTED)
    warning = warning_for(actor, warning_id)
    try:
        code = codes.normalize_code(region_code)
    except ValueError:
        raise Error.ASSIGN_BAD_REGION.error(field="region") from None
    within_actor = code.startswith(codes.prefix_of(actor.region_id))
    if not (within_actor and warning.region_id.startswith(codes.prefix_of(code))):
        raise Error.ASSIGN_OUTSIDE.error(field="region")
    return _move(
        actor,
        warning,
        version,
        (Warning.OPEN, Warning.ASSIGNED),
        Warning.ASSIGNED,
        {"assigned_to_id": code},
        Event.WARNING_ASSIGNED,
    )


def record_visit(actor, warning_id: int, version: int, visited_on: date, note: str, today: date):
    require_permission(actor, "monitoring.handle_warning", Error.VERIFY_NOT_PERMITTED)
    warning = warning_for(actor, warning_id)
    if visited_on > today:
        raise Error.VISIT_IN_FUTURE.error(field="visited_on")
    if not note.strip():
        raise Error.VISIT_NOTE_MISSING.error(field="note")
    return _move(
        actor,
        warning,
        version,
        (Warning.OPEN, Warning.ASSIGNED),
        Warning.VERIFIED,
        {"visited_on": visited_on, "visit_note": note.strip()},
        Event.WARNING_VERIFIED,
    )


def close(actor, warning_id: int, version: int, outcome: str, reason: str) -> Warning:
    require_permission(actor, "monitoring.handle_warning", Error.CLOSE_NOT_PERMITTED)
    warning = warning_for(actor, warning_id)
    if outcome not in OUTCOMES:
        raise Error.BAD_OUTCOME.error(field="outcome")
    if not reason.strip():
        raise Error.REASON_MISSING.error(field="reason")
    departure = DEPARTURES.get(warning.indicator) if outcome == "exclude" else None
    if departure:
        require_permission(actor, "cases.decide_case", departure.refusal)
    closed = _move(
        actor,
        warning,
        version,
        (Warning.VERIFIED,),
        Warning.CLOSED,
        {"outcome": outcome, "outcome_reason": reason.strip(), "closed_at": timezone.now()},
        Event.WARNING_CLOSED,
    )
    if departure:
        day = date.fromisoformat(warning.detail[departure.date_key])
        departure.record(actor, warning.person_id, day)
    return closed


@dataclass(frozen=True)
class Departure:
    """A warning whose confirmation (closed as "exclude") ends the person's aid."""

    record: Callable
    date_key: str  # the warning's detail that dates it
    refusal: Error  # a township may verify the departure but not end the aid


DEPARTURES = {
    "recipient_died": Departure(deaths.person_died, "died_on", Error.DEATH_NEEDS_COUNTY),
    "moved_out": Departure(deaths.person_moved_out, "moved_on", Error.MOVE_NEEDS_COUNTY),
}


def _move(actor, warning, version, sources, target, changes, action: Event) -> Warning:
    if warning.status not in sources:
        raise Error.WARNING_WRONG_STATUS.error(status=warning.get_status_display())
    won = Warning.objects.filter(pk=warning.pk, version=version, status=warning.status).update(
        status=target, version=F("version") + 1, handled_by=actor, **changes
    )
    if not won:  # a stale version: the generic "changed by someone else"
        raise Conflict()
    record(
        action,
        actor=actor,
        object_type="warning",
        object_id=warning.pk,
        region_code=warning.region_id,
        before={"status": warning.status},
        after={
            "status": target,
            "indicator": warning.indicator,
            "period": warning.period,
            **{k: str(v) for k, v in changes.items() if k != "visit_note"},
        },
    )
    warning.refresh_from_db()
    return warning


def label_of(code: str) -> str:
    return BY_CODE[code].label if code in BY_CODE else code
