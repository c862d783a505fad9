"""Demo data of cases: approved 低保 cases for the households the rules engine finds eligible
in the demo county (demo data, not through the case steps: the demo's payroll needs cases paid
from this month). Idempotent through the caller (payments/demo.py)."""

from datetime import date

import polars as pl

from minzheng.accounts.models import User
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
