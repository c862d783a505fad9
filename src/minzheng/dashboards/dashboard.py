"""What the leaders' dashboard shows for one region (inside the user's own): recipients and
amounts by program, by sub-region (the drill-down) and by month; the monitoring funnel; the
conversion of 政策找人 tasks; and the deadlines that have passed. Aggregate queries only, each
scoped to the user's region and then to the region shown."""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from minzheng.cases.models import Case, Status
from minzheng.cases.workflow import PROCEDURE
from minzheng.dashboards import figures, selectors
from minzheng.kit.money import fen_to_yuan
from minzheng.monitoring.models import OutreachTask, Warning
from minzheng.policies.programs import catalogue
from minzheng.procedures.selectors import overdue_count
from minzheng.regions.models import Region
from minzheng.regions.scoping import scope_queryset

TREND_MONTHS = 12


@dataclass(frozen=True)
class Totals:
    households: int
    persons: int
    amount_fen: int

    @property
    def amount(self):
        return fen_to_yuan(self.amount_fen)


def _totals(rows) -> Totals:
    return Totals(*(int(rows[m].sum()) for m in ("households", "persons", "amount_fen")))


def recipients(region: Region, today: date) -> dict:
    """This month's figures by program and by sub-region, and the last twelve months."""
    month = today.replace(day=1)
    months = [figures.shift(month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    found = selectors.months_of(region, months)
    current = found[month].rows
    programs = [(p.code, p.label, _totals(current.filter(program=p.code))) for p in catalogue()]
    return {
        "month": month,
        "provisional": found[month].provisional,
        "total": _totals(current),
        "programs": programs,
        "parts": _parts(region, current),
        "trend": [{"month": f"{m:%Y-%m}", **asdict(_totals(found[m].rows))} for m in months],
    }


def _parts(region: Region, rows) -> list[dict]:
    length = selectors.child_length(region)
    if length is None:
        return []
    by_part = {r["part"]: r for r in figures.by_part(rows, length).iter_rows(named=True)}
    parts = []
    for child in selectors.children(region):
        found = by_part.get(child.code[:length], {})
        totals = Totals(*(found.get(m, 0) for m in ("households", "persons", "amount_fen")))
        parts.append({"code": child.code, "name": child.name, "totals": totals})
    return parts


def _scoped(queryset, user, region: Region):
    return scope_queryset(queryset, user).filter(region__code__startswith=region.prefix)


def monitoring_funnel(user, region: Region, year: int, today: date) -> dict:
    return funnel_of(scope_queryset(Warning.objects.all(), user), region, year, today)


def funnel_of(warnings, region: Region, year: int, today: date) -> dict:
    """The year's warnings of the region: raised → assigned or further → verified by a visit →
    closed, with the overdue ones and the outcomes of the closed."""
    warnings = warnings.filter(
        region__code__startswith=region.prefix, period__startswith=f"{year}-"
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


def outreach_conversion(user, region: Region, year: int) -> dict:
    return outreach_of(scope_queryset(OutreachTask.objects.all(), user), region, year)


def outreach_of(tasks, region: Region, year: int) -> dict:
    """The year's 政策找人 tasks of the region: found → visited → applied → enrolled (the
    household has a decided, granted case of the program)."""
    enrolled = Case.objects.filter(
        household=OuterRef("household"),
        program=OuterRef("program"),
        status__in=figures.DECIDED,
        decided_on__isnull=False,
    )
    tasks = tasks.filter(region__code__startswith=region.prefix, period__startswith=f"{year}-")
    counts = tasks.annotate(has_case=Exists(enrolled)).aggregate(
        found=Count("id"),
        visited=Count("id", filter=~Q(status=OutreachTask.OPEN)),
        applied=Count("id", filter=Q(status=OutreachTask.APPLIED)),
        enrolled=Count("id", filter=Q(has_case=True)),
    )
    counts["rate"] = percent(counts["enrolled"], counts["found"])
    return counts


def overdue(user, region: Region, today: date) -> dict:
    """Deadlines passed: county decisions, aid-first paperwork, periodic reviews, warnings."""
    cases = _scoped(Case.objects.all(), user, region).aggregate(
        reviews=Count("id", filter=Q(status=Status.APPROVED, next_review_on__lt=today)),
    )
    for key, kind in (("decisions", "decision"), ("paperwork", "paperwork")):
        cases[key] = overdue_count(PROCEDURE, region.prefix, today, kind)
    warnings = _scoped(Warning.objects.all(), user, region)
    cases["warnings"] = warnings.filter(due_on__lt=today).exclude(status=Warning.CLOSED).count()
    return cases


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
