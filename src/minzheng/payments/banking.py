"""The bank side of a released payroll: batches of payments (the payroll's, then re-issues),
their files (CSV and XLSX) with control totals, the bank's returns and the re-issue of a
returned payment after the payee's account is corrected.

A bank file necessarily holds clear names and account numbers: creating a batch and each
download are permissioned and audited (counts, totals and the file's SHA-256, never an
account). A batch is made once; downloading it again gives the same content.

Only lines paid by the bank go into a batch, and never one without an account or a bank
name, whatever its findings say (services refuse to release such a line; this is the second
line of defence): it stays waiting, is counted in the audit and named on the payroll's page.
"""

import hashlib
from dataclasses import dataclass

import polars as pl
from django.db import connection
from django.db.models import F, Max, Sum

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit.errors import NotFound
from minzheng.kit.exports import csv_bytes, xlsx_bytes
from minzheng.kit.masking import mask_bank_account
from minzheng.kit.money import fen_to_yuan
from minzheng.payments import checks, selectors
from minzheng.payments.errors import Error
from minzheng.payments.events import Event
from minzheng.payments.models import BankBatch, Disbursement, Line, Payroll
from minzheng.registry import readers as registry

HEADERS = ["序号", "流水号", "户名", "银行账号", "开户银行", "金额（元）", "用途"]
_LINE = Line._meta.db_table
_DISBURSEMENT = Disbursement._meta.db_table


def create_batch(actor, payroll_id: int) -> BankBatch:
    """Put every payment waiting in a released payroll into the next batch."""
    payroll = _released(actor, payroll_id)
    candidates = selectors.for_the_bank(payroll)
    left_out = selectors.unbankable(candidates).count()
    waiting = candidates.exclude(pk__in=selectors.unbankable(candidates).values("pk"))
    rows = waiting.count()
    if not rows:
        raise Error.BANK_NOTHING_TO_SEND.error()
    sequence = (payroll.batches.aggregate(last=Max("sequence"))["last"] or 0) + 1
    batch = BankBatch.objects.create(
        payroll=payroll, sequence=sequence, rows=0, total_fen=0, created_by=actor
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_DISBURSEMENT} (batch_id, line_id, attempt, reference, bank_name, "  # noqa: S608
            "bank_account, amount_fen, status, returned_reason) "
            "SELECT %s, id, attempt, 'P' || CAST(payroll_id AS TEXT) || '-' || CAST(id AS TEXT) "
            "|| '-' || CAST(attempt AS TEXT), bank_name, bank_account, amount_fen, %s, '' "
            f"FROM {_LINE} WHERE payroll_id = %s AND status = %s AND held = %s AND amount_fen > 0 "
            "AND channel = %s AND bank_account <> '' AND TRIM(bank_name) <> ''",
            [batch.pk, Disbursement.SENT, payroll.pk, Line.Status.DUE, False, Line.Channel.BANK],
        )
    rows = batch.payments.count()
    total = batch.payments.aggregate(total=Sum("amount_fen"))["total"]
    waiting.filter(pk__in=batch.payments.values("line_id")).update(status=Line.Status.SENT)
    BankBatch.objects.filter(pk=batch.pk).update(rows=rows, total_fen=total)
    _audit(
        actor,
        payroll,
        Event.BANK_BATCH_CREATED,
        {"batch": sequence, "rows": rows, "total_fen": total, "left_out": left_out},
    )
    return BankBatch.objects.get(pk=batch.pk)


def _released(actor, payroll_id: int) -> Payroll:
    payroll = selectors.payroll_for(actor, payroll_id)
    require_permission(
        actor, "payments.export_bankfile", Error.BANK_FILE_NOT_PERMITTED, verb="生成"
    )
    if not selectors.covers_county(actor, payroll):
        raise NotFound()
    payroll = Payroll.objects.select_for_update().get(pk=payroll.pk)
    if payroll.status != Payroll.Status.RELEASED:
        raise Error.BANK_FILE_BEFORE_RELEASE.error()
    return payroll


@dataclass(frozen=True)
class BankFile:
    name: str
    content: bytes
    content_type: str


def download(actor, payroll_id: int, sequence: int, fmt: str) -> BankFile:
    """A batch's file, in CSV or XLSX, with its control totals (audited)."""
    payroll = selectors.payroll_for(actor, payroll_id)
    require_permission(
        actor, "payments.export_bankfile", Error.BANK_FILE_NOT_PERMITTED, verb="下载"
    )
    if not selectors.covers_county(actor, payroll):
        raise NotFound()
    batch = payroll.batches.filter(sequence=sequence).first()
    if batch is None:
        raise Error.BANK_BATCH_NOT_FOUND.error()
    if fmt not in ("csv", "xlsx"):
        raise Error.BANK_FILE_FORMAT.error(field="format")
    rows = list(_rows(payroll, batch))
    content = _csv(batch, rows) if fmt == "csv" else _xlsx(batch, rows)
    digest = hashlib.sha256(content).hexdigest()
    _audit(
        actor,
        payroll,
        Event.BANK_FILE_DOWNLOADED,
        {
            "batch": sequence,
            "format": fmt,
            "rows": batch.rows,
            "total_fen": batch.total_fen,
            "sha256": digest,
        },
    )
    kind = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    return BankFile(f"{payroll.number}-{sequence}.{fmt}", content, kind)


def _rows(payroll: Payroll, batch: BankBatch):
    purpose = f"{payroll.period:%Y年%m月}{selectors.program_label(payroll.program)}"
    payments = batch.payments.select_related("line__beneficiary").order_by("id")
    for number, payment in enumerate(payments.iterator(chunk_size=2000), start=1):
        yield [
            number,
            payment.reference,
            payment.line.beneficiary.name,
            payment.bank_account,
            payment.bank_name,
            str(fen_to_yuan(payment.amount_fen)),
            purpose,
        ]


def _controls(batch: BankBatch) -> list[list]:
    return [
        ["批次", f"{batch.payroll.number}-{batch.sequence}"],
        ["总笔数", batch.rows],
        ["总金额（元）", str(fen_to_yuan(batch.total_fen))],
    ]


def _csv(batch: BankBatch, rows: list[list]) -> bytes:
    return csv_bytes([*_controls(batch), HEADERS, *rows])


def _xlsx(batch: BankBatch, rows: list[list]) -> bytes:
    total = ["合计", "", "", "", "", str(fen_to_yuan(batch.total_fen)), f"{batch.rows}笔"]
    return xlsx_bytes([("代发明细", [HEADERS, *rows, total]), ("控制信息", _controls(batch))])


def reissue(actor, line_id: int, version: int) -> Line:
    """A returned payment goes into the next batch with the payee's corrected account."""
    line = selectors.line_for(actor, line_id)
    require_permission(actor, "payments.prepare_payroll", Error.REISSUE_NOT_PERMITTED)
    if line.status != Line.Status.RETURNED:
        raise Error.REISSUE_NOT_RETURNED.error()
    payee = registry.bank_of(line.beneficiary_id)
    returned = line.disbursements.filter(attempt=line.attempt).first()
    if payee.bank_account == (returned.bank_account if returned else line.bank_account):
        raise Error.REISSUE_ACCOUNT_UNCHANGED.error()
    state = _account_state(payee.bank_name, payee.bank_account)
    if state != "ok":
        raise Error.REISSUE_ACCOUNT_UNUSABLE.error(reason=selectors.REASONS[state])
    won = Line.objects.filter(pk=line.pk, version=version, status=Line.Status.RETURNED).update(
        bank_name=payee.bank_name,
        bank_account=payee.bank_account,  # the field encrypts it
        attempt=F("attempt") + 1,
        status=Line.Status.DUE,
        returned_reason="",
        version=F("version") + 1,
    )
    if not won:
        raise Error.PAYMENT_TAKEN.error()
    record(
        Event.REISSUE_REQUESTED,
        actor=actor,
        object_type="payroll",
        object_id=line.payroll_id,
        region_code=line.region_id,
        before={"account": mask_bank_account(returned.bank_account if returned else "")},
        after={
            "line": line.pk,
            "attempt": line.attempt + 1,
            "account": mask_bank_account(payee.bank_account),
        },
    )
    return Line.objects.get(pk=line.pk)


def _account_state(bank_name: str, account: str) -> str:
    frame = pl.DataFrame({"bank": [bank_name], "account": [account]})
    return frame.select(checks.account_state(pl.col("bank"), pl.col("account")))[0, 0]


def _audit(actor, payroll: Payroll, action: Event, after: dict) -> None:
    record(
        action,
        actor=actor,
        object_type="payroll",
        object_id=payroll.pk,
        region_code=payroll.county_id,
        after={"number": payroll.number, **after},
    )
