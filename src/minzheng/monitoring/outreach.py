"""政策找人: households the rules find eligible for a program they neither receive nor have
applied for become outreach tasks for the village and township; the outcome of the visit is
recorded (applied, refused, not eligible after the visit).
"""

from datetime import timedelta

import polars as pl
from django.utils import timezone

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.cases import readers as cases
from minzheng.kit.errors import NotFound
from minzheng.monitoring.errors import Error
from minzheng.monitoring.events import Event
from minzheng.monitoring.models import OutreachTask
from minzheng.policies import programs
from minzheng.regions import codes
from minzheng.regions.scoping import scope_queryset

# (program, the summary's eligibility column, its amount column): the programs a household is
# told about — applied for (免申即享 needs no visit) and not a one-off grant, which needs an
# emergency. Household programs are eligible or not, person programs count eligible members.
PROGRAMS = tuple(
    (
        p.code,
        f"{p.code}_eligible" if p.level == programs.HOUSEHOLD else f"{p.code}_members",
        f"{p.code}_amount_fen",
    )
    for p in programs.enrolled_on_application()
)
OUTCOMES = (OutreachTask.APPLIED, OutreachTask.REFUSED, OutreachTask.NOT_ELIGIBLE)
QUIET_DAYS = 365  # a household approached about a program is not approached again for a year


def candidates(summary: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """household_id, program, amount_fen: eligible per the summary (rules/explain.py
    household_summary) and not in `known` (household_id, program: cases and recent tasks)."""
    parts = [
        summary.filter(pl.col(eligible).cast(pl.Int64) > 0).select(
            "household_id",
            pl.lit(str(program)).alias("program"),
            pl.col(amount).alias("amount_fen"),
        )
        for program, eligible, amount in PROGRAMS
        if eligible in summary.columns
    ]
    found = (
        pl.concat(parts) if parts else pl.DataFrame(schema=known.schema | {"amount_fen": pl.Int64})
    )
    return found.join(known, on=["household_id", "program"], how="anti").sort(
        "household_id", "program"
    )


def known_pairs(region_code: str) -> pl.DataFrame:
    """Households with a live case or a recent task for a program."""
    prefix = codes.prefix_of(region_code)
    live = cases.live_pairs(prefix)
    since = timezone.now() - timedelta(days=QUIET_DAYS)
    tasks = OutreachTask.objects.filter(
        region__code__startswith=prefix, created_at__gte=since
    ).values_list("household_id", "program")
    schema = {"household_id": pl.Int64, "program": pl.Utf8}
    return pl.DataFrame(live + list(tasks), schema=schema, orient="row").unique()


def create_tasks(
    region_code: str, period: str, found: pl.DataFrame, regions: dict[int, str], actor=None
) -> int:
    rows = [
        OutreachTask(
            household_id=r["household_id"],
            program=r["program"],
            period=period,
            region_id=regions[r["household_id"]],
            amount_fen=r["amount_fen"],
        )
        for r in found.iter_rows(named=True)
    ]
    before = OutreachTask.objects.filter(period=period).count()
    OutreachTask.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    created = OutreachTask.objects.filter(period=period).count() - before
    record(
        Event.OUTREACH_CREATED,
        actor=actor,
        object_type="region",
        object_id=region_code,
        region_code=region_code,
        after={"period": period, "new": created},
    )
    return created


def finish(actor, task_id: int, outcome: str, note: str) -> OutreachTask:
    require_permission(actor, "monitoring.handle_outreach", Error.OUTREACH_NOT_PERMITTED)
    try:
        task = scope_queryset(OutreachTask.objects.all(), actor).get(pk=task_id)
    except OutreachTask.DoesNotExist:
        raise NotFound() from None
    if outcome not in OUTCOMES:
        raise Error.OUTREACH_BAD_OUTCOME.error(field="outcome")
    if outcome != OutreachTask.APPLIED and not note.strip():
        raise Error.OUTREACH_NOTE_MISSING.error(field="note")
    won = OutreachTask.objects.filter(pk=task.pk, status=OutreachTask.OPEN).update(
        status=outcome, note=note.strip(), closed_at=timezone.now(), handled_by=actor
    )
    if not won:
        raise Error.OUTREACH_FINISHED.error()
    record(
        Event.OUTREACH_FINISHED,
        actor=actor,
        object_type="outreach",
        object_id=task.pk,
        region_code=task.region_id,
        after={"program": task.program, "outcome": outcome},
    )
    task.refresh_from_db()
    return task


__all__ = ["candidates", "create_tasks", "finish", "known_pairs"]
