"""What the leaders' dashboard shows for one region (inside the user's own): recipients and
amounts by program, by sub-region (the drill-down) and by month; the monitoring funnel; the
conversion of 政策找人 tasks; and the deadlines that have passed. Aggregate queries only, each
scoped to the user's region and then to the region shown."""

from dataclasses import asdict, dataclass
from datetime import date

from minzheng.cases import readers as cases
from minzheng.dashboards import figures, selectors
from minzheng.kit.money import fen_to_yuan
from minzheng.monitoring import readers as monitoring
from minzheng.policies.programs import catalogue
from minzheng.regions.models import Region

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


def monitoring_funnel(user, region: Region, year: int, today: date) -> dict:
    """`region` is the user's or one inside it (selectors.region_for)."""
    return monitoring.funnel(region.prefix, year, today)


def outreach_conversion(user, region: Region, year: int) -> dict:
    return monitoring.outreach_conversion(region.prefix, year)


def overdue(user, region: Region, today: date) -> dict:
    """Deadlines passed: county decisions, aid-first paperwork, periodic reviews, warnings."""
    found = cases.overdue_counts(region.prefix, today)
    return found | {"warnings": monitoring.warnings_overdue(region.prefix, today)}
