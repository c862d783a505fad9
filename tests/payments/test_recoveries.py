"""追回: registered from a finding or by hand, repaid in parts, written off by the checker; a
registered overpayment is not raised again."""

from datetime import date

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.cases.models import Case, Status
from minzheng.payments import recoveries, services
from minzheng.payments.errors import Error
from minzheng.payments.models import Flag, Line, Recovery
from minzheng.regions.models import Region
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user
from tests.payments.conftest import (
    DECEMBER,
    NOVEMBER,
    approved,
    generate,
    line_of,
    pay,
    with_account,
)
from tests.refusals import refused

JANUARY = date(2025, 1, 1)


@pytest.fixture
def died_after_payment(staff):
    """A 特困 person paid for November and December, whose death on 20 October is reported in
    January: two months were paid after the death."""
    household = make_household(first_village(TOWNSHIP_A), members=1)
    person = with_account(household.members.get())
    case = approved(household, "tekun", person=person, amount_fen=150000, created_by=staff["clerk"])
    pay(staff, NOVEMBER, "tekun")
    pay(staff, DECEMBER, "tekun")
    household.members.update(died_on=date(2024, 10, 20))
    return case, generate(staff, JANUARY, "tekun")


def test_recover_from_a_death_finding(staff, died_after_payment):
    case, payroll = died_after_payment
    line = line_of(payroll, case)
    flag = line.flags.get(code=Flag.Code.DEAD)
    assert flag.detail["overpaid_fen"] == 300000
    services.resolve_flag(staff["maker"], flag.pk, "recover", "公安通报已死亡，追回11、12月")
    recovery = Recovery.objects.get()
    assert (
        recovery.person_id,
        recovery.case_id,
        recovery.line_id,
        recovery.kind,
        recovery.amount_fen,
        recovery.status,
        recovery.program,
    ) == (case.person_id, case.pk, line.pk, "death", 300000, "open", "tekun")
    assert Line.objects.get(pk=line.pk).held is True
    event = AuditEvent.objects.get(action="recovery.registered")
    assert event.after == {"person": case.person_id, "kind": "death", "amount_fen": 300000}


def test_a_registered_overpayment_is_not_raised_again(staff, died_after_payment):
    case, payroll = died_after_payment
    Case.objects.filter(pk=case.pk).update(status=Status.ENDED, ended_on=date(2024, 10, 20))
    flag = line_of(payroll, case).flags.get(code=Flag.Code.DEAD)
    services.resolve_flag(staff["maker"], flag.pk, "recover", "追回")
    again = generate(staff, JANUARY, "tekun")
    assert again.lines.count() == 0


def _recovery(staff, amount_fen=30000):
    household = make_household(first_village(TOWNSHIP_A), members=1)
    return recoveries.register(
        staff["maker"], household.members.get().pk, "fraud", amount_fen, "隐瞒收入骗取救助金"
    )


def test_repayments_in_parts_until_recovered(staff):
    recovery = _recovery(staff)
    recovery = recoveries.repay(
        staff["maker"], recovery.pk, recovery.version, 10000, "cash", date(2025, 1, 5)
    )
    assert (recovery.recovered_fen, recovery.outstanding_fen, recovery.status) == (
        10000,
        20000,
        "open",
    )
    recovery = recoveries.repay(
        staff["maker"], recovery.pk, recovery.version, 20000, "transfer", date(2025, 2, 5)
    )
    assert (recovery.recovered_fen, recovery.outstanding_fen, recovery.status) == (
        30000,
        0,
        "recovered",
    )
    assert list(recovery.repayments.values_list("amount_fen", "method")) == [
        (10000, "cash"),
        (20000, "transfer"),
    ]


@pytest.mark.parametrize(
    ("case", "amount", "method", "error"),
    [
        ("more than outstanding", 30001, "cash", Error.REPAYMENT_BAD_AMOUNT),
        ("nothing", 0, "cash", Error.REPAYMENT_BAD_AMOUNT),
        ("unknown method", 100, "cheque", Error.REPAYMENT_BAD_METHOD),
    ],
)
def test_refused_repayments_change_nothing(staff, case, amount, method, error):
    recovery = _recovery(staff)
    with refused(error):
        recoveries.repay(
            staff["maker"], recovery.pk, recovery.version, amount, method, date(2025, 1, 5)
        )
    recovery = Recovery.objects.get(pk=recovery.pk)
    assert (recovery.recovered_fen, recovery.repayments.count(), recovery.version) == (0, 0, 1)
    assert AuditEvent.objects.filter(action="recovery.repaid").count() == 0


def test_a_stale_repayment_is_a_conflict(staff):
    recovery = _recovery(staff)
    recoveries.repay(staff["maker"], recovery.pk, recovery.version, 100, "cash", date(2025, 1, 5))
    with refused(Error.RECOVERY_TAKEN):
        recoveries.repay(
            staff["maker"], recovery.pk, recovery.version, 100, "cash", date(2025, 1, 5)
        )
    assert Recovery.objects.get(pk=recovery.pk).recovered_fen == 100


def test_the_checker_writes_off_the_rest(staff):
    recovery = _recovery(staff)
    with refused(Error.RECOVERY_NOT_PERMITTED):
        recoveries.waive(staff["maker"], recovery.pk, recovery.version, "无力偿还")
    waived = recoveries.waive(
        staff["checker"], recovery.pk, recovery.version, "当事人已死亡且无遗产"
    )
    assert (waived.status, waived.outstanding_fen) == ("waived", 0)
    assert AuditEvent.objects.get(action="recovery.waived").reason == "当事人已死亡且无遗产"


def test_recoveries_are_tracked_per_person_within_the_region(staff):
    recovery = _recovery(staff)
    mine = recoveries.recoveries_for(staff["maker"]).filter(person=recovery.person)
    assert list(mine) == [recovery]
    Region.objects.create(code="330127000000", name="淳安县", level=3, parent_id="330100000000")
    other = make_user("county_admin", "330127000000")
    assert list(recoveries.recoveries_for(other)) == []
