"""Reads of the targets screens: the year's overview of a region (inside the user's own) with
each target's standing, the counts by status for the dashboard, and a target's history.

A computed target shows its metric's value now, so it follows the data as soon as the data
changes; `services.refresh_computed` writes the value into the history when it has changed."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from minzheng.regions.models import Region
from minzheng.regions.scoping import scope_queryset
from minzheng.targets import metrics
from minzheng.targets.models import Progress, Target
from minzheng.targets.progress import Standing, Status, standing


@dataclass(frozen=True)
class Line:
    target: Target
    standing: Standing

    @property
    def metric_label(self) -> str:
        found = metrics.METRICS.get(self.target.metric)
        return found.label if found else ""


def targets_for(user, region: Region, year: int) -> QuerySet[Target]:
    """The targets of the region and the regions inside it (a city sees its counties')."""
    return (
        scope_queryset(Target.objects.select_related("region", "reporter"), user)
        .filter(region__code__startswith=region.prefix, year=year)
        .order_by("region", "id")
    )


def lines(targets, today: date) -> list[Line]:
    targets = list(targets)
    computed = metrics.evaluate(targets, today)
    return [
        Line(t, standing(computed.get(t.pk, t.value), t.target_value, t.year, t.deadline, today))
        for t in targets
    ]


def overview(user, region: Region, year: int, today: date, status: str | None = None):
    found = lines(targets_for(user, region, year), today)
    return [x for x in found if x.standing.status == status] if status else found


def status_counts(user, region: Region, year: int, today: date) -> dict:
    found = lines(targets_for(user, region, year), today)
    return {
        "by_status": [
            (value, str(label), sum(1 for x in found if x.standing.status == value))
            for value, label in Status.choices
        ],
        "overdue": sum(1 for x in found if x.standing.overdue),
    }


def history(target: Target) -> QuerySet[Progress]:
    return target.history.select_related("reported_by").order_by("on", "id")


def may_report(user, target: Target) -> bool:
    return (
        user.has_perm("targets.report_progress")
        and not target.metric
        and target.reporter_id in (None, user.pk)
    )


def dashboard_counts(user, region: Region, today: date) -> dict | None:
    """The dashboard's panel: the year's targets by status, when the user may read them."""
    if not user.has_perm("targets.view_target"):
        return None
    return status_counts(user, region, today.year, today)
