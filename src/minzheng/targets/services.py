"""Work-plan targets: entered one by one or imported from a sheet (all rows or none), progress
reported by the owner, computed targets refreshed from their metric. Each change is audited in
the caller's transaction; the unique (region, year, number) decides between two entries."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from minzheng.accounts.models import User
from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit.errors import ValidationFailed
from minzheng.kit.sheets import UnreadableFile, read_upload
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import get_scoped, region_for, scope_queryset
from minzheng.targets import metrics, sheet
from minzheng.targets.errors import Error
from minzheng.targets.events import Event
from minzheng.targets.models import Progress, Target

MANAGE = "targets.add_target"
REPORT = "targets.report_progress"


class SheetRefused(ValidationFailed):
    """A targets sheet with errors (SHEET_REFUSED): nothing was stored. `errors` lists them by
    row, for the import screen."""

    errors: list[str]

    @classmethod
    def listing(cls, errors: list[str]) -> "SheetRefused":
        refused = cls.of(Error.SHEET_REFUSED, count=len(errors), field="file")
        refused.errors = errors
        return refused


def plan_region(actor, code: str | None) -> Region:
    """The bureau region a plan belongs to: the actor's own, or a county or city inside it."""
    region = region_for(actor, code)
    if region.level not in (codes.PROVINCE, codes.CITY, codes.COUNTY):
        raise Error.NOT_A_PLAN_REGION.error(field="region")
    return region


def reporters_in(region: Region) -> dict[str, User]:
    """The accounts of the region that may report progress, by user name."""
    users = User.objects.filter(region__code__startswith=region.prefix, is_active=True)
    return {u.username: u for u in users if u.has_perm(REPORT)}


def create_target(actor, region: Region, year: int, row: sheet.Row) -> Target:
    require_permission(actor, MANAGE, Error.CREATE_NOT_PERMITTED)
    region = plan_region(actor, region.code)
    try:
        with transaction.atomic():
            target = _new(actor, region, year, row)
    except IntegrityError:
        raise Error.NUMBER_TAKEN.error(year=year, number=row.number) from None
    _audit(actor, target, Event.TARGET_CREATED, {"number": target.number, "item": target.item})
    return target


def import_targets(actor, region: Region, year: int, file_name: str, data: bytes) -> list:
    """Every row of the sheet becomes a target, or none does (SheetRefused lists the errors)."""
    require_permission(actor, MANAGE, Error.IMPORT_NOT_PERMITTED)
    region = plan_region(actor, region.code)
    try:
        frame = read_upload(file_name, data)
    except UnreadableFile as exc:
        raise SheetRefused.listing([exc.message]) from None
    taken = set(Target.objects.filter(region=region, year=year).values_list("number", flat=True))
    rows, errors = sheet.check(frame, year, taken, reporters_in(region))
    if errors:
        raise SheetRefused.listing(errors)
    try:
        with transaction.atomic():
            created = [_new(actor, region, year, row) for row in rows]
    except IntegrityError:
        raise Error.NUMBER_TAKEN_DURING_IMPORT.error() from None
    record(
        Event.TARGETS_IMPORTED,
        actor=actor,
        object_type="region",
        object_id=region.code,
        region_code=region.code,
        after={"year": year, "file": file_name, "numbers": [t.number for t in created]},
    )
    return created


def _new(actor, region: Region, year: int, row: sheet.Row) -> Target:
    return Target.objects.create(
        region=region,
        year=year,
        number=row.number,
        item=row.item,
        unit=row.unit,
        target_value=row.target_value,
        owner=row.owner,
        deadline=row.deadline,
        metric=row.metric,
        reporter=row.reporter,
        created_by=actor,
    )


def target_for(actor, pk: int) -> Target:
    require_permission(actor, "targets.view_target")
    return get_scoped(Target.objects.select_related("region", "reporter"), actor, pk=pk)


def report_progress(
    actor, target_id: int, version: int, value: Decimal, on: date, note: str, today: date
) -> Target:
    """The owner's report: the value reached on a day (not a future one)."""
    target = target_for(actor, target_id)
    require_permission(actor, REPORT, Error.REPORT_NOT_PERMITTED)
    if target.reporter_id and target.reporter_id != actor.pk:
        raise Error.NOT_THE_REPORTER.error(reporter=target.reporter)
    if target.metric:
        raise Error.COMPUTED_TAKES_NO_REPORT.error()
    if value < 0:
        raise Error.NEGATIVE_PROGRESS.error(field="value")
    if on > today or on.year != target.year:
        raise Error.REPORT_DATE.error(year=target.year, field="on")
    won = Target.objects.filter(pk=target.pk, version=version).update(
        value=value, value_on=on, version=F("version") + 1
    )
    if not won:
        raise Error.PROGRESS_CHANGED.error()
    Progress.objects.create(
        target=target, value=value, on=on, source=Progress.REPORTED, note=note, reported_by=actor
    )
    _audit(actor, target, Event.PROGRESS_REPORTED, {"value": value, "on": on, "note": note})
    target.refresh_from_db()
    return target


def refresh_computed(actor, region: Region, year: int, today: date) -> int:
    """Record today's value of each computed target of the region whose value changed (a
    history row each); returns how many changed. `actor` None is the operator (the command)."""
    if actor is not None:
        require_permission(actor, "targets.change_target", Error.REFRESH_NOT_PERMITTED)
        targets = scope_queryset(Target.objects.all(), actor)
    else:
        targets = Target.objects.all()
    targets = list(
        targets.filter(region__code__startswith=region.prefix, year=year)
        .exclude(metric="")
        .select_related("region")
    )
    values = metrics.evaluate(targets, today)
    return sum(_record_computed(actor, t, values[t.pk], today) for t in targets)


def _record_computed(actor, target: Target, value: Decimal, today: date) -> bool:
    won = (
        Target.objects.filter(pk=target.pk, version=target.version)
        .exclude(value=value, value_on__isnull=False)
        .update(value=value, value_on=today, version=F("version") + 1)
    )
    if not won:
        return False
    Progress.objects.create(target=target, value=value, on=today, source=Progress.COMPUTED)
    _audit(actor, target, Event.PROGRESS_COMPUTED, {"value": value, "on": today})
    return True


def _audit(actor, target: Target, action: Event, after: dict) -> None:
    record(
        action,
        actor=actor,
        object_type="target",
        object_id=target.pk,
        region_code=target.region_id,
        after={"year": target.year, "number": target.number, **after},
    )
