"""Closing a month of the statistics: the county's figures of a month that has ended are
computed from the dated facts and frozen, with their digest, in one audited transaction owned
by the caller. A month closes once; the unique constraint decides between two closings."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.dashboards import figures
from minzheng.dashboards.errors import Error
from minzheng.dashboards.events import Event
from minzheng.dashboards.models import MonthClosing, MonthlyFigure
from minzheng.dashboards.selectors import rows_digest
from minzheng.kit.errors import NotFound
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import region_for


def close_month(actor, county_code: str, month: date, today: date) -> MonthClosing:
    """Freeze the county's figures of `month`. `actor` None is the operator (the command)."""
    if actor is not None:
        require_permission(actor, "dashboards.close_month", Error.CLOSE_NOT_PERMITTED)
    county = _county(actor, county_code)
    month = month.replace(day=1)
    if month >= today.replace(day=1):
        raise Error.MONTH_NOT_ENDED.error(year=month.year, month=month.month, field="month")
    rows = figures.month_figures(figures.load(county.prefix), month)
    try:
        with transaction.atomic():
            closing = MonthClosing.objects.create(
                county=county,
                month=month,
                closed_by=actor,
                closed_at=timezone.now(),
                digest=rows_digest(rows),
            )
    except IntegrityError:
        raise Error.MONTH_CLOSED.error(
            county=county.name, year=month.year, month=month.month
        ) from None
    MonthlyFigure.objects.bulk_create(
        [MonthlyFigure(closing=closing, region_id=r.pop("region"), **r) for r in rows.to_dicts()],
        batch_size=2000,
    )
    record(
        Event.MONTH_CLOSED,
        actor=actor,
        object_type="month_closing",
        object_id=closing.pk,
        region_code=county.code,
        after={"month": f"{month:%Y-%m}", "rows": rows.height, "digest": closing.digest},
    )
    return closing


def _county(actor, code: str) -> Region:
    """The county to close: one inside the actor's region, or any for the operator (`actor`
    None). A blank code names no county (region_for would take the actor's own region)."""
    county = region_for(actor, code) if actor is not None and code else _region(code)
    if county.level != codes.COUNTY:
        raise Error.NOT_A_COUNTY.error(field="region")
    return county


def _region(code: str) -> Region:
    """The region of `code`, unscoped; NotFound for a malformed or unknown code."""
    try:
        code = codes.normalize_code(code)
    except ValueError:
        raise NotFound() from None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound()
    return region
