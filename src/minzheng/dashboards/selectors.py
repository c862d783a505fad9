"""Reads of the leaders' screens, each limited to a region inside the user's own
(`regions.scoping.region_for`).

A month's figures come from the stored rows of the counties that closed it and, for the others
(and always for the current month), from the cases' dated facts (figures.py): one load of the
facts serves every month asked for.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from minzheng.dashboards import figures
from minzheng.dashboards.models import MonthClosing, MonthlyFigure
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.selectors import ancestors


def trail(user, region: Region) -> list[Region]:
    """The drill-down path from the user's region to this one (for the breadcrumb)."""
    top = user.region.level
    return [r for r in [*ancestors(region), region] if r.level >= top]


def children(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent=region).order_by("code"))


def child_length(region: Region) -> int | None:
    """Digits that name a child of the region in a village code (None for a village)."""
    if region.level >= codes.VILLAGE:
        return None
    return codes.PREFIX_LENGTH[region.level + 1]


@dataclass(frozen=True)
class Month:
    month: date
    rows: pl.DataFrame
    closings: list[MonthClosing] = field(default_factory=list)
    provisional: bool = True  # some county of the region had not closed the month


def months_of(region: Region, months: list[date]) -> dict[date, Month]:
    """Each month's rows for the region: stored where its county closed the month, derived
    from the dated facts elsewhere."""
    prefix = region.prefix
    county_prefix = prefix[: codes.PREFIX_LENGTH[codes.COUNTY]]
    closings = defaultdict(list)
    for closing in MonthClosing.objects.filter(
        county__code__startswith=county_prefix, month__in=months
    ):
        closings[closing.month].append(closing)
    stored = _stored(prefix, [c for found in closings.values() for c in found])
    counties = _county_count(region)
    facts = None
    result = {}
    for month in months:
        closed = {c.county_id[:6] for c in closings[month]}
        frames = [stored.get(month, figures.empty())]
        if len(closed) < counties:
            facts = facts or figures.load(prefix)
            live = figures.month_figures(facts, month)
            frames.append(live.filter(~pl.col("region").str.slice(0, 6).is_in(list(closed))))
        rows = pl.concat(frames).sort(figures.KEY)
        result[month] = Month(month, rows, closings[month], len(closed) < counties)
    return result


def _stored(prefix: str, closings: list[MonthClosing]) -> dict[date, pl.DataFrame]:
    if not closings:
        return {}
    values = MonthlyFigure.objects.filter(
        closing__in=closings, region__code__startswith=prefix
    ).values_list("closing__month", "region_id", "program", "area_type", *figures.MEASURES)
    by_month = defaultdict(list)
    for month, *row in values:
        by_month[month].append(row)
    return {
        month: pl.DataFrame(rows, schema=figures.SCHEMA, orient="row")
        for month, rows in by_month.items()
    }


def _county_count(region: Region) -> int:
    if region.level >= codes.COUNTY:
        return 1
    return Region.objects.filter(code__startswith=region.prefix, level=codes.COUNTY).count()


def rows_digest(rows: pl.DataFrame) -> str:
    """SHA-256 of the rows in their sorted order: equal figures, equal digest."""
    canonical = json.dumps(rows.sort(figures.KEY).rows(), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
