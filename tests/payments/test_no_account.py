"""A payee without a usable bank account never reaches a bank file: the finding is held or paid
by cash (with a receipt) or another recorded channel, never "verified: pay"; a line without an
account or a bank name is refused at submission and approval and left out of every batch,
whatever its findings say; a payment by another channel is recorded, audited and counted as
paid (issue 20, item 1)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from minzheng.audit.models import AuditEvent
from minzheng.payments import banking, funds, returns, services
from minzheng.payments.errors import Error
from minzheng.payments.models import Flag, Line, OtherPayment, Payroll
from minzheng.regions.models import Region
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user
from tests.payments.conftest import approved, card, generate, release, with_account
from tests.refusals import refused


def _household(account: bool, seed: int | None = None):
    household = make_household(first_village(TOWNSHIP_A), members=2)
    if account:
        with_account(household.members.get(relation="head"), seed)
    return household


@pytest.fixture
def mixed(staff):
    """A November draft: one payee with a card (900 yuan), one without an account (500 yuan)."""
    banked = approved(_household(True, 1), created_by=staff["clerk"])
    unbanked = approved(_household(False), amount_fen=50000, created_by=staff["clerk"])
    payroll = generate(staff)
    flag = Flag.objects.get(line__payroll=payroll)
    assert (flag.code, flag.detail, flag.line.case_id) == (
        "account",
        {"reason": "no_account"},
        unbanked.pk,
    )
    return payroll, flag, banked, unbanked


def _snapshot(payroll, flag) -> tuple:
    payroll = Payroll.objects.get(pk=payroll.pk)
    flag = Flag.objects.get(pk=flag.pk)
    line = Line.objects.get(pk=flag.line_id)
    return (
        (payroll.status, payroll.version, payroll.open_flags, payroll.held_count),
        (flag.status, flag.resolution, flag.note, flag.resolved_by_id),
        (line.held, line.channel, line.status, line.version),
        AuditEvent.objects.filter(action__startswith="payroll.")
        .exclude(action="payroll.generated")
        .count(),
    )


def _events(action: str):
    return AuditEvent.objects.filter(action=action)


# ---- resolving the finding -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["maker", "clerk"])
def test_the_no_account_finding_cannot_be_resolved_as_paid_by_the_bank(staff, mixed, who):
    payroll, flag, _, _ = mixed
    before = _snapshot(payroll, flag)
    with refused(Error.FLAG_NO_BANK_ACCOUNT):
        services.resolve_flag(staff[who], flag.pk, Flag.Resolution.PAY, "核实无误，照常发放")
    assert _snapshot(payroll, flag) == before


@pytest.mark.parametrize("reason_account", [("no_bank", "", "6228480000000000019")])
def test_nor_when_the_bank_name_is_missing(staff, reason_account):
    reason, bank, account = reason_account
    household = _household(False)
    head = household.members.get(relation="head")
    head.bank_name, head.bank_account = bank, account
    head.save(update_fields=["bank_name", "bank_account"])
    approved(household, created_by=staff["clerk"])
    payroll = generate(staff)
    flag = Flag.objects.get(line__payroll=payroll)
    assert flag.detail == {"reason": reason}
    before = _snapshot(payroll, flag)
    with refused(Error.FLAG_NO_BANK_ACCOUNT):
        services.resolve_flag(staff["maker"], flag.pk, "pay", "核实")
    assert _snapshot(payroll, flag) == before


@pytest.mark.parametrize(("resolution", "channel"), [("cash", "cash"), ("other", "other")])
def test_resolved_to_another_channel_the_line_is_owed_but_off_the_bank(
    staff, mixed, resolution, channel
):
    payroll, flag, _, _ = mixed
    services.resolve_flag(staff["clerk"], flag.pk, resolution, "无银行卡，由乡镇现金发放")
    line = Line.objects.get(pk=flag.line_id)
    assert (line.held, line.channel) == (False, channel)
    payroll = Payroll.objects.get(pk=payroll.pk)
    assert (payroll.open_flags, payroll.held_count, payroll.total_fen) == (0, 0, 140000)
    assert _events("payroll.flag_resolved").get().after == {
        "line": line.pk,
        "check": "account",
        "resolution": resolution,
    }


def test_the_channel_follows_the_finding_across_regenerations(staff, mixed):
    payroll, flag, _, unbanked = mixed
    services.resolve_flag(staff["maker"], flag.pk, "cash", "现金发放")
    generate(staff)  # the same finding: the resolution and the channel stay
    assert Line.objects.get(pk=flag.line_id).channel == "cash"
    with_account(unbanked.household.members.get(relation="head"), 7)
    payroll = generate(staff)  # the account is there now: no finding, back to the bank
    line = Line.objects.get(pk=flag.line_id)
    assert (Flag.objects.filter(pk=flag.pk).exists(), line.channel, payroll.open_flags) == (
        False,
        "bank",
        0,
    )


def test_the_screen_offers_only_hold_or_another_channel(client, staff, mixed):
    payroll, flag, _, _ = mixed
    client.force_login(staff["clerk"])
    page = client.get(f"/payments/{payroll.pk}/").content.decode()
    select = re.search(rf'<select name="flag{flag.pk}-resolution".*?</select>', page, re.S)
    assert re.findall(r'<option value="([^"]*)"', select.group(0)) == ["hold", "cash", "other"]
    before = _snapshot(payroll, flag)
    response = client.post(
        f"/payments/flags/{flag.pk}/",
        {f"flag{flag.pk}-resolution": "pay", f"flag{flag.pk}-note": "核实无误"},
    )
    assert response.status_code == 422
    assert _snapshot(payroll, flag) == before


def test_other_findings_still_offer_pay(staff):
    from minzheng.payments.forms import ResolveForm

    choices = [value for value, _ in ResolveForm(code="change").fields["resolution"].choices]
    assert choices == ["pay", "hold"]


# ---- the second line of defence: submission, approval, the batch ------------------------------


def test_a_line_without_an_account_forced_past_its_findings_is_not_submitted(staff, mixed):
    payroll, flag, banked, _ = mixed
    services.resolve_flag(staff["maker"], flag.pk, "hold", "待补录账户")
    Line.objects.filter(payroll=payroll, case=banked).update(bank_account="")  # behind its back
    payroll = Payroll.objects.get(pk=payroll.pk)
    with refused(Error.PAYROLL_UNBANKABLE):
        services.submit(staff["maker"], payroll.pk, payroll.version)
    assert (Payroll.objects.get(pk=payroll.pk).status, _events("payroll.submitted").count()) == (
        "draft",
        0,
    )


def test_nor_approved(staff, mixed):
    payroll, flag, banked, _ = mixed
    services.resolve_flag(staff["maker"], flag.pk, "hold", "待补录账户")
    payroll = services.submit(
        staff["maker"], payroll.pk, Payroll.objects.get(pk=payroll.pk).version
    )
    Line.objects.filter(payroll=payroll, case=banked).update(bank_name=" ")
    with refused(Error.PAYROLL_UNBANKABLE):
        services.approve(staff["checker"], payroll.pk, payroll.version)
    assert (Payroll.objects.get(pk=payroll.pk).status, _events("payroll.released").count()) == (
        "submitted",
        0,
    )


@pytest.fixture
def released_then_emptied(staff):
    """Three payees with cards, released; then two lines lose their account or bank name (the
    database lets a released line's account change, for re-issues)."""
    cases = [
        approved(_household(True, seed), amount_fen=amount, created_by=staff["clerk"])
        for seed, amount in ((1, 90000), (2, 50000), (3, 30000))
    ]
    payroll = release(staff, generate(staff))
    Line.objects.filter(case=cases[1]).update(bank_account="")
    Line.objects.filter(case=cases[2]).update(bank_name="  ")
    return payroll, cases


def test_the_batch_leaves_out_a_line_without_an_account_whatever_its_flags(
    staff, released_then_emptied
):
    payroll, (ok, no_account, no_bank) = released_then_emptied
    batch = banking.create_batch(staff["maker"], payroll.pk)
    assert (batch.rows, batch.total_fen) == (1, 90000)
    assert list(batch.payments.values_list("line__case", flat=True)) == [ok.pk]
    statuses = dict(payroll.lines.values_list("case", "status"))
    assert statuses == {ok.pk: "sent", no_account.pk: "due", no_bank.pk: "due"}
    assert _events("payroll.bank_batch_created").get().after["left_out"] == 2
    assert returns.off_the_bank(payroll)["left_out"] == 2
    assert returns.reconciliation(payroll)["waiting"] == 0
    with refused(Error.BANK_NOTHING_TO_SEND):
        banking.create_batch(staff["maker"], payroll.pk)


def test_the_bank_files_never_have_an_empty_account_row(staff, released_then_emptied):
    payroll, _ = released_then_emptied
    banking.create_batch(staff["maker"], payroll.pk)
    content = banking.download(staff["maker"], payroll.pk, 1, "csv").content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = rows.index(["序号", "流水号", "户名", "银行账号", "开户银行", "金额（元）", "用途"])
    details = rows[header + 1 :]
    assert [(r[3], r[4]) for r in details] == [(card(1), "农村信用社")]
    book = load_workbook(
        io.BytesIO(banking.download(staff["maker"], payroll.pk, 1, "xlsx").content)
    )
    sheet = [[c.value for c in row] for row in book["代发明细"].iter_rows()][1:-1]
    assert [(r[3], r[4]) for r in sheet] == [(card(1), "农村信用社")]


def test_the_batch_screen_says_what_was_left_out(client, staff, released_then_emptied):
    payroll, _ = released_then_emptied
    client.force_login(staff["maker"])
    response = client.post(
        f"/payments/{payroll.pk}/batch/", {"version": payroll.version}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("2" in m for m in shown[1:]) and 'id="left-out"' in response.content.decode()


# ---- paying by another channel -----------------------------------------------------------------


@pytest.fixture
def cash_line(staff, mixed):
    """The payee without an account is to be paid in cash; the payroll is released."""
    payroll, flag, _, _ = mixed
    services.resolve_flag(staff["clerk"], flag.pk, "cash", "无银行卡，乡镇现金发放")
    payroll = release(staff, Payroll.objects.get(pk=payroll.pk))
    return payroll, Line.objects.get(pk=flag.line_id)


def test_a_cash_line_is_not_in_the_bank_batch(staff, cash_line):
    payroll, line = cash_line
    batch = banking.create_batch(staff["maker"], payroll.pk)
    assert (batch.rows, batch.total_fen) == (1, 90000)
    assert not batch.payments.filter(line=line).exists()
    assert Line.objects.get(pk=line.pk).status == "due"
    assert _events("payroll.bank_batch_created").get().after["left_out"] == 0
    assert returns.off_the_bank(payroll) == {
        "left_out": 0,
        "other_due": 1,
        "other_paid": 0,
        "other_paid_fen": 0,
    }


def test_a_cash_payment_with_its_receipt_is_recorded_audited_and_counted_as_paid(staff, cash_line):
    payroll, line = cash_line
    banking.create_batch(staff["maker"], payroll.pk)
    today = timezone.localdate()
    payment = services.record_other_payment(
        staff["maker"], line.pk, line.version, " XJ-2024-0001 ", today
    )
    assert (payment.channel, payment.receipt, payment.paid_on, payment.amount_fen) == (
        "cash",
        "XJ-2024-0001",
        today,
        50000,
    )
    assert payment.recorded_by_id == staff["maker"].pk
    line = Line.objects.get(pk=line.pk)
    assert (line.status, line.version, line.disbursements.count()) == ("paid_other", 2, 0)
    event = _events("payroll.paid_other_channel").get()
    assert (event.actor_id, event.object_id, event.region_code) == (
        staff["maker"].pk,
        str(payroll.pk),
        line.region_id,
    )
    assert event.after == {
        "line": line.pk,
        "status": "paid_other",
        "channel": "cash",
        "receipt": "XJ-2024-0001",
        "paid_on": today.isoformat(),
        "amount_fen": 50000,
    }
    (row,) = funds.overview(staff["maker"])
    assert (str(row.paid), str(row.pending), str(row.held)) == ("1400.00", "0.00", "0.00")
    assert returns.off_the_bank(payroll)["other_paid_fen"] == 50000
    with refused(Error.OTHER_PAYMENT_NOT_DUE):  # once only
        services.record_other_payment(staff["maker"], line.pk, line.version, "XJ-2", today)
    assert OtherPayment.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "who", "receipt", "days", "error"),
    [
        ("no receipt", "maker", "  ", 0, Error.OTHER_PAYMENT_RECEIPT),
        ("paid in the future", "maker", "XJ-1", 1, Error.OTHER_PAYMENT_DATE),
        ("paid before the approval", "maker", "XJ-1", -400, Error.OTHER_PAYMENT_DATE),
        ("a township clerk", "clerk", "XJ-1", 0, Error.OTHER_PAYMENT_NOT_PERMITTED),
    ],
)
def test_refused_records_change_nothing(staff, cash_line, case, who, receipt, days, error):
    _, line = cash_line
    day = timezone.localdate() + timedelta(days=days)
    with refused(error):
        services.record_other_payment(staff[who], line.pk, line.version, receipt, day)
    assert (Line.objects.get(pk=line.pk).status, OtherPayment.objects.count()) == ("due", 0)
    assert _events("payroll.paid_other_channel").count() == 0


def test_only_a_released_line_for_another_channel_is_recorded(staff, mixed):
    payroll, flag, banked, _ = mixed
    services.resolve_flag(staff["maker"], flag.pk, "cash", "现金")
    line = Line.objects.get(pk=flag.line_id)
    today = timezone.localdate()
    with refused(Error.OTHER_PAYMENT_NOT_DUE):  # a draft: not approved yet
        services.record_other_payment(staff["maker"], line.pk, line.version, "XJ-1", today)
    payroll = release(staff, Payroll.objects.get(pk=payroll.pk))
    bank_line = payroll.lines.get(case=banked)
    with refused(Error.OTHER_PAYMENT_NOT_DUE):  # a bank line
        services.record_other_payment(staff["maker"], bank_line.pk, bank_line.version, "X", today)
    with refused(Error.PAYMENT_TAKEN):  # a stale version
        services.record_other_payment(staff["maker"], line.pk, line.version - 1, "XJ-1", today)
    Region.objects.create(code="330127000000", name="淳安县", level=3, parent_id="330100000000")
    with refused(Error.LINE_NOT_FOUND):  # another county
        services.record_other_payment(
            make_user("county_admin", "330127000000"), line.pk, line.version, "XJ-1", today
        )
    assert (OtherPayment.objects.count(), Line.objects.get(pk=line.pk).status) == (0, "due")


def test_the_line_page_records_the_receipt(client, staff, cash_line):
    _, line = cash_line
    client.force_login(staff["maker"])
    page = client.get(f"/payments/lines/{line.pk}/")
    assert 'id="other-payment-form"' in page.content.decode()
    response = client.post(
        f"/payments/lines/{line.pk}/paid/",
        {"version": line.version, "receipt": "", "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 422 and OtherPayment.objects.count() == 0
    response = client.post(
        f"/payments/lines/{line.pk}/paid/",
        {
            "version": line.version,
            "receipt": "XJ-0009",
            "paid_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302 and response.url == f"/payments/lines/{line.pk}/"
    page = client.get(response.url).content.decode()
    assert 'id="line-other-payment"' in page and "XJ-0009" in page
    assert 'id="other-payment-form"' not in page
