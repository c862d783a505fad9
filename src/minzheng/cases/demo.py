"""Demo data of cases: approved 低保 cases for the households the rules engine finds eligible
in the demo county (demo data, not through the case steps: the demo's payroll needs cases paid
from this month). Idempotent through the caller (payments/demo.py)."""

from datetime import date, timedelta

import polars as pl

from minzheng.accounts.models import User
from minzheng.cases import rules_of_case
from minzheng.cases.models import Case, Program, Status
from minzheng.procedures.numbering import next_number
from minzheng.registry.readers import heads
from minzheng.rules.screening import screen_region


def approve_eligible(county: str, decided: date, month: date, households: int) -> list[int]:
    """The ids of the heads of the households given an approved 低保 case, in household order."""
    approver = User.objects.filter(username="county_approver").first()
    summary = screen_region(county, decided)
    eligible = (
        summary.filter(pl.col("dibao_eligible") & (pl.col("dibao_amount_fen") > 0))
        .sort("household_id")
        .head(households)
    )
    found = heads(eligible["household_id"].to_list(), with_region=True)
    head_of = dict(found.select("household_id", "head_id").iter_rows())
    regions = dict(found.select("household_id", "region_code").iter_rows())
    for household_id, amount in eligible.select("household_id", "dibao_amount_fen").iter_rows():
        Case.objects.create(
            number=next_number("case", county, decided.year, prefix="SA"),
            program=Program.DIBAO,
            household_id=household_id,
            region_id=regions[household_id],
            channel="demo",
            status=Status.APPROVED,
            submitted_on=decided,
            accepted_on=decided,
            decided_on=decided,
            amount_fen=amount,
            start_month=month,
            notice_number=next_number("notice", county, decided.year, prefix="民救"),
            created_by=approver,
        )
    return [head_of[h] for h in eligible["household_id"].to_list()]


# Work in every queue of the demo county: households of the demo township taken through the
# real steps by the demo accounts, each stopped at another step (days before today).
STAGES = (
    ("submitted", 3, ()),
    ("submitted", 2, ()),
    ("accepted", 9, ("accept",)),
    ("accepted", 8, ("accept",)),
    ("investigated", 12, ("accept", "investigate")),
    ("reviewed", 14, ("accept", "investigate", "review")),
    ("publicised", 16, ("accept", "investigate", "review", "publicise")),
    ("notice over", 20, ("accept", "investigate", "review", "publicise")),
    ("awaiting", 28, ("accept", "investigate", "review", "publicise", "close_publicity")),
)
ACTORS = {"accept": "township_clerk", "investigate": "township_clerk"}
ACTORS |= {"review": "township_reviewer", "publicise": "township_clerk"}
ACTORS |= {"close_publicity": "township_clerk"}


def load_demo_cases(county: str, today: date) -> int:
    """Cases in progress at every step (and one aid-first grant awaiting its paperwork), once:
    nothing when the county already has cases entered by staff."""
    from minzheng.cases import services

    if Case.objects.filter(region__code__startswith=county[:6], channel="staff").exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=_DEMO_USERS)}
    if len(users) < len(_DEMO_USERS):
        return 0
    households = _households_for_stages(users["township_clerk"].region_id, county, today)
    for household, (_stage, days, steps) in zip(households, STAGES, strict=False):
        start = today - timedelta(days=days)
        case = services.apply(users["township_clerk"], household, "dibao", start)
        for index, action in enumerate(steps):
            if action == "publicise" and rules_of_case.ineligible(case):
                break  # nothing to publicise: it waits at 审核 with its 不同意
            day = today if action == "close_publicity" else start + timedelta(days=2 * index + 1)
            case = _step(services, users, case, action, day)
    if len(households) > len(STAGES):
        aid = services.apply(users["township_clerk"], households[-1], "temporary", today)
        services.perform(users["township_clerk"], aid.pk, "grant_emergency", aid.version,
                         today - timedelta(days=9), amount_fen=150000)  # fmt: skip
    return min(len(households), len(STAGES) + 1)


_DEMO_USERS = ("township_clerk", "township_reviewer")


def _households_for_stages(township: str, county: str, today: date) -> list[int]:
    """One free household per stage and one for the aid-first grant: the stages that reach the
    公示 take households the evaluation finds eligible for 低保 (公示 lists an amount)."""
    found = _free_households(township, len(STAGES) + 201)
    summary = screen_region(county, today)
    eligible = set(
        summary.filter(pl.col("dibao_eligible") & (pl.col("dibao_amount_fen") > 0))[
            "household_id"
        ].to_list()
    )
    good = [h for h in found if h in eligible]
    other = [h for h in found if h not in eligible]
    chosen = []
    for _stage, _days, steps in STAGES:
        pool = good if "publicise" in steps and good else other or good
        if pool:
            chosen.append(pool.pop(0))
    return chosen + (other or good)[:1]


def _free_households(township: str, count: int) -> list[int]:
    """Households of the township without any case (the demo payroll's have one)."""
    from minzheng.registry.readers import households_of

    found = households_of(township[:9], limit=count + 200)
    taken = set(Case.objects.filter(household_id__in=found).values_list("household_id", flat=True))
    return [h for h in found if h not in taken][:count]


def _step(services, users, case, action: str, day: date):
    actor = users[ACTORS[action]]
    data = {}
    if action == "investigate":
        _consent_everyone(services, actor, case, day)
        data = {"visited_on": day, "visitors": "民政协理员、村委会主任", "findings": "情况属实"}
    if action == "review" and rules_of_case.ineligible(case):
        data = {"opinion": "不同意", "reasons": "经入户调查和家庭经济状况核对，不符合条件。"}
    elif action == "review":
        data = {"opinion": "同意", "reasons": "经入户调查和家庭经济状况核对，同意纳入。"}
    return services.perform(actor, case.pk, action, case.version, day, **data)


def _consent_everyone(services, actor, case, day: date) -> None:
    members, supporters = services.consents_missing_from(case)
    for person in members:
        services.record_consent(actor, case.pk, day, person_id=person.pk, method="written")
    for supporter in supporters:
        services.record_consent(actor, case.pk, day, supporter_id=supporter.pk, method="written")
