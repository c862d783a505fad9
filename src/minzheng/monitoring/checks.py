"""居民家庭经济状况核对: every department fact about a household's members and legal supporters
gathered into one report by category, compared with what the household declared.

Only with consent: the household must have a live case whose adult members and supporters
have all signed the 核对 authorisation. A refusal is itself audited, so it is committed before
the error is raised (the one place a service owns its transaction).
"""

from collections import defaultdict
from datetime import date

from django.db import transaction

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.cases import readers as cases
from minzheng.kit.money import fen_to_yuan, yuan_to_fen
from minzheng.monitoring import feeds
from minzheng.monitoring.errors import Error
from minzheng.monitoring.events import Event
from minzheng.monitoring.models import CheckReport, Fact
from minzheng.registry import selectors

LOOKBACK_MONTHS = 12
INCOME_FEEDS = {"income_tax": ("income",), "employment": ("wage", "pension")}
UNDECLARED = {
    "vehicles": ("vehicle", "plate"),
    "real_estate": ("real_estate", "certificate"),
    "businesses": ("business", "credit_code"),
}


def request_check(actor, household_id: int, today: date) -> CheckReport:
    require_permission(actor, "monitoring.request_check", Error.CHECK_NOT_PERMITTED)
    household = selectors.household_for(actor, household_id)
    case = cases.consented_case_of(household)
    with transaction.atomic():
        if case is None:
            record(
                Event.CHECK_REFUSED,
                actor=actor,
                object_type="household",
                object_id=household.pk,
                region_code=household.region_id,
                reason="未取得核对授权",
            )
        else:
            report, discrepancies = build(household, today)
            check = CheckReport.objects.create(
                household=household,
                case=case,
                requested_by=actor,
                report=report,
                discrepancies=discrepancies,
            )
            record(
                Event.CHECK_REPORTED,
                actor=actor,
                object_type="household",
                object_id=household.pk,
                region_code=household.region_id,
                after={
                    "report": check.pk,
                    "case": case.number,
                    "discrepancies": len(discrepancies),
                },
            )
            return check
    raise Error.CONSENT_MISSING.error()


def build(household, today: date) -> tuple[dict, list[str]]:
    members = list(selectors.living_members(household))
    supporters = list(household.supporters.order_by("id"))
    since = _months_before(today, LOOKBACK_MONTHS)
    facts = Fact.objects.filter(period__gte=since).filter(person__in=members) | Fact.objects.filter(
        period__gte=since, supporter__in=supporters
    )
    names = {("p", m.pk): m.name for m in members} | {("s", s.pk): s.name for s in supporters}
    report: dict[str, list] = defaultdict(list)
    for fact in facts.order_by("feed", "period", "id"):
        feed = feeds.feed(fact.feed)
        who = ("p", fact.person_id) if fact.person_id else ("s", fact.supporter_id)
        report[feed.category].append(
            {
                "feed": feed.label,
                "department": feed.department,
                "period": fact.period,
                "name": names[who],
                "supporter": who[0] == "s",
                "values": _shown(feed, fact.values),
            }
        )
    return dict(report), _discrepancies(household, members, facts)


def _discrepancies(household, members, facts) -> list[str]:
    names = {member.pk: member.name for member in members}
    found = []
    latest = {}
    for fact in facts.filter(person__in=members).order_by("period", "id"):
        latest[(fact.feed, fact.person_id, _key(fact))] = fact
    declared = _declared_income(members)
    department: dict[int, int] = defaultdict(int)
    for (feed, person_id, _), fact in latest.items():
        for column in INCOME_FEEDS.get(feed, ()):
            department[person_id] += fact.values.get(column) or 0
    for member in members:
        if department[member.pk] > declared.get(member.pk, 0):
            found.append(
                f"{member.name}：部门数据月收入 {_yuan(department[member.pk])} 元，"
                f"高于申报的 {_yuan(declared.get(member.pk, 0))} 元"
            )
    registrations = set(household.assets.values_list("kind", "registration"))
    for (feed, _person, key), fact in latest.items():
        if feed in UNDECLARED and (UNDECLARED[feed][0], key) not in registrations:
            found.append(f"{names[fact.person_id]}：{feeds.feed(feed).label} {key} 未申报")
        if feed == "deaths":
            found.append(f"{names[fact.person_id]}：公安数据显示已于 {fact.values['died_on']} 死亡")
    return found


def _key(fact: Fact) -> str:
    column = UNDECLARED.get(fact.feed, (None, None))[1]
    return fact.values.get(column, "") if column else ""


def _declared_income(members) -> dict[int, int]:
    """Monthly declared income in fen per member (annual items ÷ 12)."""
    totals: dict[int, int] = defaultdict(int)
    for member in members:
        for item in member.incomes.filter(excluded=False):
            fen = yuan_to_fen(item.amount)
            totals[member.pk] += fen if item.period == "monthly" else fen // 12
    return totals


def _shown(feed: feeds.Feed, values: dict) -> list[list[str]]:
    shown = []
    for column in feed.value_columns:
        value = values.get(column.code)
        if value is None:
            continue
        if column.type == "money":
            value = f"{_yuan(value)} 元"
        elif column.type == "choice":
            value = {v: k for k, v in column.choices.items()}.get(value, value)
        shown.append([column.label, str(value)])
    return shown


def _months_before(today: date, months: int) -> str:
    index = today.year * 12 + today.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _yuan(fen: int) -> str:
    return str(fen_to_yuan(fen))
