"""The demo county's payroll: households the rules engine finds eligible for 低保 get an approved
case (cases/demo.py), their heads a demo bank card (registry/demo.py) — a few none, so the check
report has something to show — and this month's draft payroll is generated.

Idempotent: a county that already has a payroll gets nothing more.
"""

from datetime import date

from minzheng.cases.demo import approve_eligible
from minzheng.payments.generation import generate
from minzheng.payments.models import Payroll
from minzheng.registry.demo import give_card

WITHOUT_ACCOUNT = 3  # heads left without a card: findings for the demo's check report


def load_demo_payroll(county: str, today: date, households: int = 60) -> Payroll | None:
    if Payroll.objects.filter(county_id=county).exists():
        return None
    month = today.replace(day=1)
    decided = _month_before(month).replace(day=21)
    heads = approve_eligible(county, decided, month, households)
    for head in heads[WITHOUT_ACCOUNT:]:
        give_card(head, "农村信用社", _card(head))
    return generate(None, county, "dibao", month)


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
