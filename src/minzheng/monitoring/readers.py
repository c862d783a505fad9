"""What other apps may read of monitoring: the department facts received about a region's
persons (payments' pre-release checks read 公安's deaths and hukou moves), and the counts the
leaders' dashboard and the work-plan targets show (the warnings' funnel, 政策找人's
conversion, warnings overdue)."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from minzheng.cases import readers as cases
from minzheng.kit.money import percent
from minzheng.monitoring.models import Fact, OutreachTask, Warning


def facts_of_feed(feed: str, prefix: str):
    """(person_id, values, file_id, row) of the feed's facts about the region's persons, in the
    order they were stored."""
    return (
        Fact.objects.filter(feed=feed, person__region__code__startswith=prefix)
        .values_list("person_id", "values", "file_id", "row")
        .order_by("id")
    )


def funnel(prefix: str, year: int, today: date) -> dict:
    """The year's warnings of the region: raised → assigned or further → verified by a visit →
    closed, with the overdue ones and the outcomes of the closed."""
    warnings = Warning.objects.filter(
        region__code__startswith=prefix, period__startswith=f"{year}-"
    )
    closed = Q(status=Warning.CLOSED)
    counts = warnings.aggregate(
        raised=Count("id"),
        assigned=Count("id", filter=~Q(status=Warning.OPEN)),
        verified=Count("id", filter=Q(status__in=[Warning.VERIFIED, Warning.CLOSED])),
        closed=Count("id", filter=closed),
        overdue=Count("id", filter=Q(due_on__lt=today) & ~closed),
        **{
            f"outcome_{o}": Count("id", filter=closed & Q(outcome=o))
            for o in Warning.Outcome.values
        },
    )
    counts["outcomes"] = [
        (value, str(label), counts.pop(f"outcome_{value}"))
        for value, label in Warning.Outcome.choices
    ]
    return counts


def outreach_conversion(prefix: str, year: int) -> dict:
    """The year's 政策找人 tasks of the region: found → visited → applied → enrolled (the
    household has a decided, granted case of the program)."""
    enrolled = cases.granted_for(OuterRef("household"), OuterRef("program"))
    tasks = OutreachTask.objects.filter(
        region__code__startswith=prefix, period__startswith=f"{year}-"
    )
    counts = tasks.annotate(has_case=Exists(enrolled)).aggregate(
        found=Count("id"),
        visited=Count("id", filter=~Q(status=OutreachTask.OPEN)),
        applied=Count("id", filter=Q(status=OutreachTask.APPLIED)),
        enrolled=Count("id", filter=Q(has_case=True)),
    )
    counts["rate"] = percent(counts["enrolled"], counts["found"])
    return counts


def warnings_overdue(prefix: str, today: date) -> int:
    late = Warning.objects.filter(region__code__startswith=prefix, due_on__lt=today)
    return late.exclude(status=Warning.CLOSED).count()
