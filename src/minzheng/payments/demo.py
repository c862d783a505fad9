"""The demo county's payroll: households the rules engine finds eligible for 低保 get an approved
case (demo data, not through the case steps), their heads a demo bank card — a few none, so the
check report has something to show — and this month's draft payroll is generated.

Idempotent: a county that already has a payroll gets nothing more.
"""

from datetime import date

import polars as pl

from minzheng.accounts.models import User
from minzheng.cases.models import Case, Program, Status
from minzheng.payments.generation import generate
from minzheng.payments.models import Payroll
from minzheng.procedures.numbering import next_number
from minzheng.registry.models import Person
from minzheng.rules.screening import screen_region

WITHOUT_ACCOUNT = 3  # heads left without a card: findings for the demo's check report


def load_demo_payroll(county: str, today: date, households: int = 60) -> Payroll | None:
    if Payroll.objects.filter(county_id=county).exists():
        return None
    month = today.replace(day=1)
    decided = _month_before(month).replace(day=21)
    approver = User.objects.filter(username="county_approver").first()
    summary = screen_region(county, decided)
    eligible = (
        summary.filter(pl.col("dibao_eligible") & (pl.col("dibao_amount_fen") > 0))
        .sort("household_id")
        .head(households)
    )
    for index, (household_id, amount) in enumerate(
        eligible.select("household_id", "dibao_amount_fen").iter_rows()
    ):
        head = Person.objects.filter(household_id=household_id, relation="head").first()
        Case.objects.create(
            number=next_number("case", county, decided.year, prefix="SA"),
            program=Program.DIBAO,
            household_id=household_id,
            region_id=head.region_id,
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
        if index >= WITHOUT_ACCOUNT:
            head.bank_name, head.bank_account = "农村信用社", _card(household_id)
            head.save(update_fields=["bank_name", "bank_account"])
    return generate(None, county, Program.DIBAO, month)


def _month_before(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def _card(seed: int) -> str:
    """A valid demo 银联 card number (the Luhn check digit the payroll verifies)."""
    body = f"622848{seed:012d}"
    total = sum(
        (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d
        for i, d in enumerate(int(c) for c in reversed(body))
    )
    return body + str((10 - total % 10) % 10)
