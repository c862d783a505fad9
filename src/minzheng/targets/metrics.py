"""The Minzheng figures a work-plan target may be computed from: a code, a Chinese label, the
unit, and a function of (region, year, today). Each reads the target's own region (targets
are region-scoped, so whoever sees a target may see its region) with aggregate queries or
the dashboard's monthly figures, the same definitions as the dashboard and the statistics.

A new metric is a row in METRICS; the import sheet names it by code or by label."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from minzheng.cases import readers as cases
from minzheng.dashboards import selectors
from minzheng.kit.money import fen_to_yuan, percent
from minzheng.monitoring import readers as monitoring
from minzheng.policies.programs import enrolled_on_application
from minzheng.regions.models import Region

ENROLLED = [p.code for p in enrolled_on_application()]  # what "newly enrolled" counts
TEMPORARY = "temporary"  # 临时救助: its grants of the year are targets of their own


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    compute: Callable[[Region, int, date, dict], Decimal]


def _in_payment(measure: str, *programs: str) -> Callable:
    """This month's households or persons in payment (as on the dashboard). The month's rows
    of a region are read once per evaluation (`cache`)."""

    def compute(region: Region, year: int, today: date, cache: dict) -> Decimal:
        month = today.replace(day=1)
        if (region.code, month) not in cache:
            cache[region.code, month] = selectors.months_of(region, [month])[month].rows
        rows = cache[region.code, month]
        return Decimal(int(rows.filter(rows["program"].is_in(list(programs)))[measure].sum()))

    return compute


def _granted_this_year(region: Region, year: int) -> dict:
    found = cases.granted_in_year(region.prefix, year, [TEMPORARY], ENROLLED)
    return {
        "temporary": found["one_off"],
        "temporary_fen": found["one_off_fen"],
        "enrolled": found["enrolled"],
    }


def _temporary_grants(region, year, today, cache) -> Decimal:
    return Decimal(_granted_this_year(region, year)["temporary"])


def _temporary_amount(region, year, today, cache) -> Decimal:
    return fen_to_yuan(_granted_this_year(region, year)["temporary_fen"] or 0)


def _enrolled(region, year, today, cache) -> Decimal:
    return Decimal(_granted_this_year(region, year)["enrolled"])


def _warnings_closed_share(region, year, today, cache) -> Decimal:
    funnel = monitoring.funnel(region.prefix, year, today)
    share = percent(funnel["closed"], funnel["raised"])
    return share if share is not None else Decimal("0.0")


def _outreach_enrolled(region, year, today, cache) -> Decimal:
    return Decimal(monitoring.outreach_conversion(region.prefix, year)["enrolled"])


METRICS: dict[str, Metric] = {
    m.code: m
    for m in [
        Metric("dibao_households", "在保低保户数", "户", _in_payment("households", "dibao")),
        Metric("dibao_persons", "在保低保人数", "人", _in_payment("persons", "dibao")),
        Metric("tekun_persons", "在保特困人员数", "人", _in_payment("persons", "tekun")),
        Metric(
            "disability_subsidy_persons",
            "残疾人两项补贴在保人数",
            "人",
            _in_payment("persons", "disability_living", "disability_nursing"),
        ),
        Metric(
            "child_allowance_persons",
            "孤儿和事实无人抚养儿童保障人数",
            "人",
            _in_payment("persons", "child_allowance"),
        ),
        Metric("enrolled_year", "本年新纳入救助户数（不含临时救助）", "户", _enrolled),
        Metric("temporary_grants_year", "本年临时救助户次", "户次", _temporary_grants),
        Metric("temporary_amount_year", "本年临时救助金额", "元", _temporary_amount),
        Metric("warnings_closed_share_year", "本年监测预警处置率", "%", _warnings_closed_share),
        Metric("outreach_enrolled_year", "本年政策找人纳入救助户数", "户", _outreach_enrolled),
    ]
}
BY_LABEL = {m.label: m for m in METRICS.values()}


def metric_named(name: str) -> Metric | None:
    """A metric by its code or its Chinese label (as an import sheet may give it)."""
    name = (name or "").strip()
    return METRICS.get(name) or BY_LABEL.get(name)


def evaluate(targets, today: date) -> dict[int, Decimal]:
    """The current value of each computed target (by id)."""
    cache: dict = {}
    return {
        t.pk: METRICS[t.metric].compute(t.region, t.year, today, cache)
        for t in targets
        if t.metric in METRICS
    }
