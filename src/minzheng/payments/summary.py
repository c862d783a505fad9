"""The payroll summary (社会救助资金发放汇总表): a released payroll's money by township — payees,
this month's amounts, back pay, adjustments, 特困's care part, what is held — with its totals,
who prepared and who approved it. Issued by the county (numbered 民发, audited), printed from
what it held when issued: later returns or re-issues show in the funds overview instead."""

from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from minzheng.accounts.permissions import require_permission
from minzheng.documents.issuing import issue
from minzheng.documents.kinds import Kind, register
from minzheng.documents.models import Document
from minzheng.kit.money import fen_to_yuan
from minzheng.payments import selectors as payments
from minzheng.payments.errors import Error
from minzheng.payments.models import Line, Payroll
from minzheng.regions.models import Region

PAYROLL_SUMMARY = register(
    Kind(
        "payroll_summary",
        "社会救助资金发放汇总表",
        "payroll",
        "民发",
        "payments/documents/payroll_summary.html",
    )
)
SUMS = ("regular_fen", "back_pay_fen", "adjustment_fen", "care_fen", "amount_fen")


def issue_payroll_summary(actor, payroll_id: int, today: date) -> Document:
    payroll = payments.payroll_for(actor, payroll_id)
    require_permission(actor, "payments.view_funds", Error.SUMMARY_NOT_PERMITTED)
    if not payments.covers_county(actor, payroll):
        raise Error.SUMMARY_BY_COUNTY.error()
    if payroll.status != Payroll.Status.RELEASED:
        raise Error.SUMMARY_BEFORE_RELEASE.error()
    rows = _by_township(payroll)
    money = (*SUMS, "held_fen")
    total = {key: sum(row[key] for row in rows) for key in ("payees", "held_payees", *money)}
    payload = {
        "bureau": f"{payroll.county.name}民政局",
        "county": payroll.county.name,
        "program": payments.program_label(payroll.program),
        "month": payroll.period.isoformat(),
        "payroll": payroll.pk,
        "rows": [_in_yuan(row, money) for row in rows],
        "total": _in_yuan(total, money),
        "prepared_by": _name(payroll.submitted_by),
        "approved_by": _name(payroll.approved_by),
        "issued_on": today.isoformat(),
    }
    return issue(
        actor, PAYROLL_SUMMARY, region_code=payroll.county_id, today=today, payload=payload
    )


def _by_township(payroll: Payroll) -> list[dict]:
    held = Q(held=True)
    found = (
        Line.objects.filter(payroll=payroll)
        .annotate(township=Substr("region_id", 1, 9))
        .values("township")
        .annotate(
            payees=Count("id"),
            held_payees=Count("id", filter=held),
            held_fen=Sum("amount_fen", filter=held, default=0),
            **{key: Sum(key, default=0) for key in SUMS},
        )
        .order_by("township")
    )
    rows = list(found)
    names = dict(
        Region.objects.filter(code__in=[f"{r['township']}000" for r in rows]).values_list(
            "code", "name"
        )
    )
    for row in rows:
        row["name"] = names.get(f"{row.pop('township')}000", "")
    return rows


def _in_yuan(row: dict, money: tuple[str, ...]) -> dict:
    """The row as printed: amounts in yuan with thousands separators."""
    return {key: f"{fen_to_yuan(value):,}" if key in money else value for key, value in row.items()}


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""
