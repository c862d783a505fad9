"""Payments test data: approved cases made directly (the case workflow has its own tests),
payees with bank cards, and the two months most tests pay."""

import itertools
from datetime import date

import pytest

from minzheng.cases.models import Case, Status, TekunSupport
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user

COUNTY = "330122000000"
NOVEMBER, DECEMBER = date(2024, 11, 1), date(2024, 12, 1)
_numbers = itertools.count(1)


def card(seed: int) -> str:
    """A valid 19-digit 银联 card number (Luhn check digit)."""
    body = f"622848{seed:012d}"
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return body + str((10 - total % 10) % 10)


def with_account(person, seed: int | None = None):
    person.bank_name = "农村信用社"
    person.bank_account = card(seed if seed is not None else person.pk)
    person.save(update_fields=["bank_name", "bank_account"])
    return person


def approved(
    household, program="dibao", *, person=None, amount_fen=90000, start=NOVEMBER, **fields
):
    """An approved case paid from `start` (decided the month before)."""
    decided = fields.pop(
        "decided_on", date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 21)
    )
    support = {k: fields.pop(k) for k in ("support_mode", "care_band") if k in fields}
    case = Case.objects.create(
        number=f"TEST-{next(_numbers):05d}",
        program=program,
        household=household,
        person=person,
        region_id=household.region_id,
        status=fields.pop("status", Status.APPROVED),
        submitted_on=date(2024, 9, 1),
        decided_on=decided,
        amount_fen=amount_fen,
        start_month=None if program == "temporary" else start,
        created_by=fields.pop("created_by"),
        **fields,
    )
    if support:  # 特困's terms, kept beside the case
        TekunSupport.objects.create(
            case=case, mode=support["support_mode"], care_band=support.get("care_band", "")
        )
    return case


@pytest.fixture
def staff(regions):
    return {
        "maker": make_user("county_admin", COUNTY),
        "checker": make_user("county_approver", COUNTY),
        "clerk": make_user("township_clerk", TOWNSHIP_A),
    }


@pytest.fixture
def paid_household(staff):
    """A two-member household with a 低保 case of 900 yuan a month from November; the head
    has a bank card."""
    household = make_household(first_village(TOWNSHIP_A), members=2)
    with_account(household.members.get(relation="head"))
    case = approved(household, created_by=staff["clerk"])
    return household, case


def generate(staff, month=NOVEMBER, program="dibao"):
    from minzheng.payments import generation

    return generation.generate(staff["maker"], COUNTY, program, month)


def release(staff, payroll):
    """Submit (maker) and approve (checker): the payroll is released and locked."""
    from minzheng.payments import services

    payroll = services.submit(staff["maker"], payroll.pk, payroll.version)
    return services.approve(staff["checker"], payroll.pk, payroll.version)


def pay(staff, month=NOVEMBER, program="dibao"):
    return release(staff, generate(staff, month, program))


def line_of(payroll, case):
    return payroll.lines.get(case=case)


def amounts(line) -> tuple:
    """(months, first month, this month, back pay, adjustment, amount) in fen."""
    return (
        line.months,
        line.first_month,
        line.regular_fen,
        line.back_pay_fen,
        line.adjustment_fen,
        line.amount_fen,
    )
