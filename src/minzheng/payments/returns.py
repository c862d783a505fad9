"""The bank's answer to a batch: a file (CSV or XLSX) of returned or failed payments, read once
by content, reconciled against what was sent, and the reconciliation of a payroll.

Columns: 流水号 and 金额（元） (or 金额), optionally 状态 (成功/失败; without it every row is a
return) and 失败原因. A row is applied only if its reference was sent in this payroll with the
same amount and is the payment's latest attempt; anything else is reported with its row.
"""

import hashlib
from dataclasses import dataclass

import polars as pl
from django.db.models import Count, Q, Sum

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit.errors import NotFound, ValidationFailed
from minzheng.kit.money import fen_to_yuan, to_money, yuan_to_fen
from minzheng.kit.sheets import ROW, read_upload
from minzheng.payments import selectors
from minzheng.payments.errors import Error
from minzheng.payments.events import Event
from minzheng.payments.models import Disbursement, Line, Payroll, ReturnFile

COLUMNS = {
    "reference": ("流水号",),
    "amount": ("金额（元）", "金额(元)", "金额"),
    "status": ("状态", "处理结果"),
    "reason": ("失败原因", "原因"),
}
FAILED = {"失败", "退回", "退票"}
SUCCEEDED = {"成功"}
SHOWN_PROBLEMS = 1000


def receive(actor, payroll_id: int, filename: str, content: bytes) -> tuple[ReturnFile, bool]:
    """(the file's record, whether it is new): the same content twice changes nothing."""
    payroll = selectors.payroll_for(actor, payroll_id)
    require_permission(actor, "payments.import_returns", Error.RETURNS_NOT_PERMITTED)
    if not selectors.covers_county(actor, payroll):
        raise NotFound()
    if payroll.status != Payroll.Status.RELEASED:
        raise Error.RETURNS_BEFORE_RELEASE.error()
    digest = hashlib.sha256(content).hexdigest()
    known = payroll.return_files.filter(sha256=digest).first()
    if known:
        return known, False
    rows = _rows(read_upload(filename, content))
    returned, problems = _apply(payroll, rows)
    file = ReturnFile.objects.create(
        payroll=payroll,
        filename=filename[:200],
        sha256=digest,
        rows=len(rows),
        returned=len(returned),
        returned_fen=sum(r.amount_fen for r in returned),
        problems=problems[:SHOWN_PROBLEMS],
        imported_by=actor,
    )
    record(
        Event.RETURNS_IMPORTED,
        actor=actor,
        object_type="payroll",
        object_id=payroll.pk,
        region_code=payroll.county_id,
        after={
            "number": payroll.number,
            "file": file.filename,
            "sha256": digest,
            "rows": file.rows,
            "returned": file.returned,
            "returned_fen": file.returned_fen,
            "problems": len(problems),
        },
    )
    return file, True


@dataclass(frozen=True)
class Row:
    row: int
    reference: str
    amount_fen: int | None
    failed: bool | None  # None: a status we do not know
    reason: str


def _rows(frame: pl.DataFrame) -> list[Row]:
    found = {
        key: next((h for h in names if h in frame.columns), None) for key, names in COLUMNS.items()
    }
    missing = [COLUMNS[key][0] for key in ("reference", "amount") if found[key] is None]
    if missing:
        raise Error.BAD_RETURN_FILE.error(columns="、".join(missing))
    rows = []
    for item in frame.iter_rows(named=True):
        status = (item.get(found["status"]) or "失败") if found["status"] else "失败"
        rows.append(
            Row(
                row=item[ROW],
                reference=(item[found["reference"]] or "").strip(),
                amount_fen=_fen(item[found["amount"]]),
                failed=True if status in FAILED else False if status in SUCCEEDED else None,
                reason=((item.get(found["reason"]) or "") if found["reason"] else "")[:200],
            )
        )
    return rows


def _fen(text: str | None) -> int | None:
    try:
        amount = to_money(text or "")
        return yuan_to_fen(amount) if amount >= 0 else None
    except (ValidationFailed, ValueError):  # not a number, or not a whole number of fen
        return None


def _apply(payroll: Payroll, rows: list[Row]) -> tuple[list[Disbursement], list[dict]]:
    sent = {
        d.reference: d
        for d in Disbursement.objects.filter(
            batch__payroll=payroll, reference__in=[r.reference for r in rows]
        ).select_related("line")
    }
    returned, problems, seen = [], [], set()
    for row in rows:
        payment = sent.get(row.reference)
        problem = _problem(row, payment, seen)
        seen.add(row.reference)
        if problem:
            problems.append({"row": row.row, "reference": row.reference, "reason": problem})
            continue
        if row.failed:
            _return(payment, row.reason or "银行退回")
            returned.append(payment)
    return returned, problems


def _problem(row: Row, payment: Disbursement | None, seen: set) -> str:
    if row.reference in seen:
        return "流水号在文件中重复"
    if payment is None:
        return "本名册没有这个流水号"
    if row.amount_fen is None:
        return "金额格式不正确"
    if row.amount_fen != payment.amount_fen:
        return f"金额与发送的 {fen_to_yuan(payment.amount_fen)} 元不符"
    if row.failed is None:
        return "状态应为“成功”或“失败”"
    if payment.status == Disbursement.RETURNED:
        return "该笔已登记为退回"
    if payment.attempt != payment.line.attempt:
        return "该笔已重新发放"
    return ""


def _return(payment: Disbursement, reason: str) -> None:
    Disbursement.objects.filter(pk=payment.pk, status=Disbursement.SENT).update(
        status=Disbursement.RETURNED, returned_reason=reason
    )
    Line.objects.filter(
        pk=payment.line_id, attempt=payment.attempt, status=Line.Status.SENT
    ).update(status=Line.Status.RETURNED, returned_reason=reason)


def reconciliation(payroll: Payroll) -> dict:
    """Per batch what was sent and returned, and the payroll's net paid amount."""
    batches = payroll.batches.annotate(
        returned=Count("payments", filter=Q(payments__status=Disbursement.RETURNED)),
        returned_fen=Sum("payments__amount_fen", filter=Q(payments__status=Disbursement.RETURNED)),
    ).order_by("sequence")
    rows = [
        {
            "sequence": b.sequence,
            "rows": b.rows,
            "total_fen": b.total_fen,
            "returned": b.returned,
            "returned_fen": b.returned_fen or 0,
            "paid_fen": b.total_fen - (b.returned_fen or 0),
            "created_at": b.created_at,
        }
        for b in batches
    ]
    due = Q(status=Line.Status.DUE, held=False, amount_fen__gt=0)
    lines = payroll.lines.aggregate(
        waiting=Count("id", filter=due & Q(channel=Line.Channel.BANK)),
        returned=Count("id", filter=Q(status=Line.Status.RETURNED)),
    )
    return {
        "batches": rows,
        "paid_fen": sum(r["paid_fen"] for r in rows),
        "waiting": lines["waiting"] - _left_out(payroll),
        "to_reissue": lines["returned"],
    }


def _left_out(payroll: Payroll) -> int:
    return selectors.unbankable(selectors.for_the_bank(payroll)).count()


def off_the_bank(payroll: Payroll) -> dict:
    """What the bank does not pay: lines left out of every batch for want of an account or a
    bank name, and lines paid by cash or another channel (to pay, and paid with a receipt)."""
    due = Q(status=Line.Status.DUE, held=False, amount_fen__gt=0)
    paid = Q(status=Line.Status.PAID_OTHER)
    lines = payroll.lines.aggregate(
        other_due=Count("id", filter=due & ~Q(channel=Line.Channel.BANK)),
        other_paid=Count("id", filter=paid),
        other_paid_fen=Sum("amount_fen", filter=paid),
    )
    return {
        "left_out": _left_out(payroll),
        "other_due": lines["other_due"],
        "other_paid": lines["other_paid"],
        "other_paid_fen": lines["other_paid_fen"] or 0,
    }
