"""The bank side of a released payroll: the batch and its files with control totals (audited,
no account in the audit log), the bank's returns and the reconciliation, the re-issue after
the account is corrected."""

import csv
import io

import pytest
from openpyxl import load_workbook

from minzheng.audit.models import AuditEvent
from minzheng.payments import banking, returns
from minzheng.payments.errors import Error
from minzheng.payments.models import Disbursement, Line
from tests.factories import TOWNSHIP_A, first_village, make_household
from tests.payments.conftest import approved, card, pay, with_account
from tests.refusals import refused


@pytest.fixture
def released(staff):
    """A released November payroll of two households: 900 and 500 yuan."""
    cases = []
    for seed, amount in ((1, 90000), (2, 50000)):
        household = make_household(first_village(TOWNSHIP_A), members=2)
        with_account(household.members.get(relation="head"), seed)
        cases.append(approved(household, amount_fen=amount, created_by=staff["clerk"]))
    return pay(staff), cases


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_batch_holds_every_payment_waiting(staff, released):
    payroll, cases = released
    batch = banking.create_batch(staff["maker"], payroll.pk)
    assert (batch.sequence, batch.rows, batch.total_fen) == (1, 2, 140000)
    assert list(payroll.lines.values_list("status", flat=True)) == ["sent", "sent"]
    assert sorted(batch.payments.values_list("reference", "amount_fen")) == sorted(
        (f"P{payroll.pk}-{line.pk}-1", line.amount_fen) for line in payroll.lines.all()
    )
    with refused(Error.BANK_NOTHING_TO_SEND):
        banking.create_batch(staff["maker"], payroll.pk)


def test_the_csv_file_with_its_control_totals(staff, released):
    payroll, cases = released
    banking.create_batch(staff["maker"], payroll.pk)
    file = banking.download(staff["maker"], payroll.pk, 1, "csv")
    rows = _rows(file.content)
    assert file.name == f"{payroll.number}-1.csv"
    assert rows[:4] == [
        ["批次", f"{payroll.number}-1"],
        ["总笔数", "2"],
        ["总金额（元）", "1400.00"],
        ["序号", "流水号", "户名", "银行账号", "开户银行", "金额（元）", "用途"],
    ]
    first = payroll.lines.order_by("id").first()
    assert rows[4] == [
        "1",
        f"P{payroll.pk}-{first.pk}-1",
        first.beneficiary.name,
        card(1),
        "农村信用社",
        "900.00",
        "2024年11月最低生活保障",
    ]
    assert len(rows) == 6


def test_the_xlsx_file_and_the_audited_download(staff, released):
    payroll, _ = released
    banking.create_batch(staff["maker"], payroll.pk)
    file = banking.download(staff["maker"], payroll.pk, 1, "xlsx")
    book = load_workbook(io.BytesIO(file.content))
    details = [[c.value for c in row] for row in book["代发明细"].iter_rows()]
    assert details[0] == ["序号", "流水号", "户名", "银行账号", "开户银行", "金额（元）", "用途"]
    assert [row[3] for row in details[1:3]] == [card(1), card(2)]
    assert details[3] == ["合计", None, None, None, None, "1400.00", "2笔"]
    assert [[c.value for c in row] for row in book["控制信息"].iter_rows()] == [
        ["批次", f"{payroll.number}-1"],
        ["总笔数", 2],
        ["总金额（元）", "1400.00"],
    ]
    event = AuditEvent.objects.get(action="payroll.bank_file_downloaded")
    assert (event.actor_id, event.after["format"], event.after["rows"]) == (
        staff["maker"].pk,
        "xlsx",
        2,
    )
    logged = str(event.after) + str(
        AuditEvent.objects.get(action="payroll.bank_batch_created").after
    )
    assert card(1) not in logged and card(2) not in logged


def test_only_the_bank_file_role_downloads(staff, released):
    payroll, _ = released
    banking.create_batch(staff["maker"], payroll.pk)
    with refused(Error.BANK_FILE_NOT_PERMITTED):
        banking.download(staff["checker"], payroll.pk, 1, "csv")
    assert AuditEvent.objects.filter(action="payroll.bank_file_downloaded").count() == 0


def _returns_file(*rows: str, header="流水号,金额（元）,状态,失败原因") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def test_returns_are_reconciled_and_a_file_is_read_once(staff, released):
    payroll, _ = released
    banking.create_batch(staff["maker"], payroll.pk)
    first, second = payroll.lines.order_by("id")
    content = _returns_file(
        f"P{payroll.pk}-{first.pk}-1,900.00,失败,账户已销户",
        f"P{payroll.pk}-{second.pk}-1,500.00,成功,",
        "P999-1-1,10.00,失败,户名不符",
        f"P{payroll.pk}-{second.pk}-1,400.00,失败,",
    )
    file, created = returns.receive(staff["maker"], payroll.pk, "回盘.csv", content)
    assert (created, file.rows, file.returned, file.returned_fen) == (True, 4, 1, 90000)
    assert file.problems == [
        {"row": 4, "reference": "P999-1-1", "reason": "本名册没有这个流水号"},
        {"row": 5, "reference": f"P{payroll.pk}-{second.pk}-1", "reason": "流水号在文件中重复"},
    ]
    assert (
        Line.objects.get(pk=first.pk).status,
        Line.objects.get(pk=first.pk).returned_reason,
    ) == (
        "returned",
        "账户已销户",
    )
    assert Line.objects.get(pk=second.pk).status == "sent"
    again, created = returns.receive(staff["maker"], payroll.pk, "回盘（重复）.csv", content)
    assert (again.pk, created) == (file.pk, False)
    assert AuditEvent.objects.filter(action="payroll.returns_imported").count() == 1
    assert returns.reconciliation(payroll) == {
        "batches": [
            {
                "sequence": 1,
                "rows": 2,
                "total_fen": 140000,
                "returned": 1,
                "returned_fen": 90000,
                "paid_fen": 50000,
                "created_at": payroll.batches.get().created_at,
            }
        ],
        "paid_fen": 50000,
        "waiting": 0,
        "to_reissue": 1,
    }


def test_a_returns_file_without_its_columns_is_refused_whole(staff, released):
    payroll, _ = released
    banking.create_batch(staff["maker"], payroll.pk)
    with refused(Error.BAD_RETURN_FILE) as raised:
        returns.receive(staff["maker"], payroll.pk, "r.csv", _returns_file("x", header="流水号"))
    missing = Error.BAD_RETURN_FILE.text(columns="金额（元）")  # the amount column, only it
    assert raised.value.message == missing
    assert payroll.return_files.count() == 0


def test_a_wrong_amount_is_not_applied(staff, released):
    payroll, _ = released
    banking.create_batch(staff["maker"], payroll.pk)
    first = payroll.lines.order_by("id").first()
    file, _ = returns.receive(
        staff["maker"],
        payroll.pk,
        "r.csv",
        _returns_file(f"P{payroll.pk}-{first.pk}-1,901.00,失败,"),
    )
    assert file.problems[0]["reason"] == "金额与发送的 900.00 元不符"
    assert Line.objects.get(pk=first.pk).status == "sent"


def test_reissue_after_the_account_is_corrected(staff, released):
    payroll, _ = released
    banking.create_batch(staff["maker"], payroll.pk)
    first = payroll.lines.order_by("id").first()
    returns.receive(
        staff["maker"],
        payroll.pk,
        "r.csv",
        _returns_file(f"P{payroll.pk}-{first.pk}-1,900.00,失败,销户"),
    )
    line = Line.objects.get(pk=first.pk)
    with refused(Error.REISSUE_ACCOUNT_UNCHANGED):
        banking.reissue(staff["maker"], line.pk, line.version)
    with_account(line.beneficiary, 99)
    line = banking.reissue(staff["maker"], line.pk, line.version)
    assert (line.status, line.attempt, line.bank_account) == ("due", 2, card(99))
    batch = banking.create_batch(staff["maker"], payroll.pk)
    payment = batch.payments.get()
    assert (batch.sequence, payment.reference, payment.bank_account, payment.amount_fen) == (
        2,
        f"P{payroll.pk}-{line.pk}-2",
        card(99),
        90000,
    )
    assert Disbursement.objects.get(line=line, attempt=1).bank_account == card(1)
    event = AuditEvent.objects.get(action="payroll.reissue_requested")
    assert event.before == {"account": card(1)[:4] + "*" * 11 + card(1)[-4:]}
    assert returns.reconciliation(payroll)["paid_fen"] == 140000
    stale = returns.receive(
        staff["maker"],
        payroll.pk,
        "r2.csv",
        _returns_file(f"P{payroll.pk}-{line.pk}-1,900.00,失败,"),
    )[0]
    assert stale.problems[0]["reason"] == "该笔已登记为退回"
