"""资金监管: paid, pending, returned, held and recovered amounts by program, region and month,
within the user's region — by township for a county or below, by county above — with export.

Paid: sent to the bank and not returned, or paid in cash or through another channel with its
receipt recorded. Pending: owed on a payroll not yet sent (a draft, a
submitted payroll, or released and waiting for its bank batch). Returned: sent back by the bank
and not yet re-issued. Held: kept back by a pre-release finding. Recovered: repayments received
that month.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Substr, TruncMonth

from minzheng.kit.exports import csv_bytes, xlsx_bytes
from minzheng.kit.money import fen_to_yuan
from minzheng.payments.models import Line, Repayment
from minzheng.payments.selectors import program_label
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import user_region_prefix

AMOUNTS = ("paid", "pending", "returned", "held", "recovered")
HEADERS = [
    "项目",
    "区划代码",
    "区划",
    "月份",
    "已发放（元）",
    "待发放（元）",
    "银行退回（元）",
    "暂缓（元）",
    "已追回（元）",
]


@dataclass(frozen=True)
class Row:
    program: str
    region_code: str
    region_name: str
    month: date
    paid: Decimal
    pending: Decimal
    returned: Decimal
    held: Decimal
    recovered: Decimal

    @property
    def program_label(self) -> str:
        return program_label(self.program)


def overview(
    user, *, program: str = "", start: date | None = None, end: date | None = None
) -> list[Row]:
    prefix = user_region_prefix(user)
    if prefix is None or not user.has_perm("payments.view_funds"):
        return []
    depth = 9 if len(prefix) >= 6 else 6
    sums: dict[tuple, dict[str, int]] = {}
    for row in _lines(prefix, depth, program, start, end):
        sums[(row["program"], row["area"], row["period"])] = {k: row[k] or 0 for k in AMOUNTS[:4]}
    for row in _repayments(prefix, depth, program, start, end):
        key = (row["recovery__program"], row["area"], row["month"])
        sums.setdefault(key, dict.fromkeys(AMOUNTS[:4], 0))["recovered"] = row["total"]
    names = _names({area for _, area, _ in sums})
    return [
        Row(
            program,
            area,
            names.get(area, area),
            month,
            *(fen_to_yuan(amounts.get(k, 0)) for k in AMOUNTS),
        )
        for (program, area, month), amounts in sorted(
            sums.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])
        )
    ]


def _lines(prefix, depth, program, start, end):
    lines = Line.objects.filter(region__code__startswith=prefix)
    if program:
        lines = lines.filter(program=program)
    if start:
        lines = lines.filter(period__gte=start)
    if end:
        lines = lines.filter(period__lte=end)
    amount = "amount_fen"
    return (
        lines.annotate(area=Substr("region_id", 1, depth))
        .values("program", "area", "period")
        .annotate(
            paid=Sum(amount, filter=Q(status__in=[Line.Status.SENT, Line.Status.PAID_OTHER])),
            pending=Sum(amount, filter=Q(status=Line.Status.DUE, held=False)),
            returned=Sum(amount, filter=Q(status=Line.Status.RETURNED)),
            held=Sum(amount, filter=Q(held=True)),
        )
        .order_by()
    )


def _repayments(prefix, depth, program, start, end):
    repayments = Repayment.objects.filter(recovery__region__code__startswith=prefix)
    if program:
        repayments = repayments.filter(recovery__program=program)
    if start:
        repayments = repayments.filter(received_on__gte=start)
    if end:
        repayments = repayments.filter(received_on__lt=_next_month(end))
    return (
        repayments.annotate(
            area=Substr("recovery__region_id", 1, depth), month=TruncMonth("received_on")
        )
        .values("recovery__program", "area", "month")
        .annotate(total=Sum("amount_fen"))
        .order_by()
    )


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _names(areas: set[str]) -> dict[str, str]:
    full = {area.ljust(codes.CODE_LENGTH, "0"): area for area in areas}
    return {full[r.code]: r.name for r in Region.objects.filter(code__in=list(full))}


def totals(rows: list[Row]) -> dict[str, Decimal]:
    return {k: sum((getattr(r, k) for r in rows), Decimal("0.00")) for k in AMOUNTS}


def _cells(row: Row) -> list:
    return [
        row.program_label,
        row.region_code,
        row.region_name,
        f"{row.month:%Y-%m}",
        *(str(getattr(row, k)) for k in AMOUNTS),
    ]


def _table(rows: list[Row]) -> list[list]:
    total = ["合计", "", "", "", *(str(v) for v in totals(rows).values())]
    return [HEADERS, *(_cells(r) for r in rows), total]


def to_csv(rows: list[Row]) -> bytes:
    return csv_bytes(_table(rows))


def to_xlsx(rows: list[Row]) -> bytes:
    return xlsx_bytes([("资金发放情况", _table(rows))])
