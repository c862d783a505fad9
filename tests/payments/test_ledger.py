"""What a payroll line pays: this month, back pay from the start month, adjustments after a 复核,
渐退, suspensions and exits, 特困's care part, one-off grants — and regenerating never
duplicates."""

from datetime import date

from minzheng.cases.models import Case, GradualExit, Review, Status
from minzheng.payments.models import Flag, Line, Payroll
from minzheng.payments.services import resolve_flag
from tests.factories import TOWNSHIP_A, first_village, make_household
from tests.payments.conftest import (
    DECEMBER,
    NOVEMBER,
    amounts,
    approved,
    generate,
    line_of,
    pay,
    release,
    with_account,
)

OCTOBER, JANUARY = date(2024, 10, 1), date(2025, 1, 1)


def _household(staff, members=2):
    household = make_household(first_village(TOWNSHIP_A), members=members)
    with_account(household.members.get(relation="head"))
    return household


def test_this_months_amount_for_an_approved_case(staff, paid_household):
    household, case = paid_household
    payroll = generate(staff)
    line = line_of(payroll, case)
    assert amounts(line) == (1, NOVEMBER, 90000, 0, 0, 90000)
    assert (line.beneficiary_id, line.household_id, line.region_id) == (
        household.members.get(relation="head").pk,
        household.pk,
        household.region_id,
    )
    assert (payroll.line_count, payroll.total_fen, payroll.open_flags) == (1, 90000, 0)


def test_back_pay_from_the_start_month_when_approved_after_that_months_payroll(staff):
    first = approved(_household(staff), start=OCTOBER, created_by=staff["clerk"])
    pay(staff, OCTOBER)
    late = approved(_household(staff), start=OCTOBER, amount_fen=50000, created_by=staff["clerk"])
    payroll = generate(staff, NOVEMBER)
    assert amounts(line_of(payroll, late)) == (2, OCTOBER, 50000, 50000, 0, 100000)
    assert amounts(line_of(payroll, first)) == (1, NOVEMBER, 90000, 0, 0, 90000)


def test_months_before_the_countys_first_payroll_are_not_back_paid(staff):
    case = approved(_household(staff), start=date(2024, 6, 1), created_by=staff["clerk"])
    assert amounts(line_of(generate(staff, NOVEMBER), case)) == (1, NOVEMBER, 90000, 0, 0, 90000)


def test_a_held_month_is_paid_back_the_month_after(staff):
    household = make_household(first_village(TOWNSHIP_A), members=2)  # no bank account yet
    case = approved(household, created_by=staff["clerk"])
    payroll = generate(staff, NOVEMBER)
    flag = Flag.objects.get(line__payroll=payroll, code=Flag.Code.ACCOUNT)
    resolve_flag(staff["maker"], flag.pk, Flag.Resolution.HOLD, "待补录银行账户")
    release(staff, Payroll.objects.get(pk=payroll.pk))
    assert Line.objects.get(case=case, period=NOVEMBER).settled is False
    with_account(household.members.get(relation="head"))
    line = line_of(generate(staff, DECEMBER), case)
    assert amounts(line) == (2, NOVEMBER, 90000, 90000, 0, 180000)


def _review(case, staff, day: date, amount_fen: int, outcome=Review.Outcome.INCREASE):
    Review.objects.create(
        case=case,
        reviewed_on=day,
        outcome=outcome,
        amount_fen=amount_fen,
        recorded_by=staff["clerk"],
    )
    Case.objects.filter(pk=case.pk).update(amount_fen=amount_fen)


def test_an_increase_after_the_month_was_paid_is_paid_as_an_adjustment_once(staff, paid_household):
    _, case = paid_household
    pay(staff, NOVEMBER)  # released on the old amount
    _review(case, staff, date(2024, 10, 28), 110000)  # 增发 from November
    december = generate(staff, DECEMBER)
    assert amounts(line_of(december, case)) == (1, DECEMBER, 110000, 0, 20000, 130000)
    change = Flag.objects.get(line__payroll=december)
    assert (change.code, change.detail) == ("change", {"previous_fen": 90000, "amount_fen": 130000})
    resolve_flag(staff["maker"], change.pk, Flag.Resolution.PAY, "复核增发，含11月差额")
    release(staff, Payroll.objects.get(pk=december.pk))
    assert amounts(line_of(generate(staff, JANUARY), case)) == (1, JANUARY, 110000, 0, 0, 110000)


def test_a_decrease_after_the_month_was_paid_is_deducted(staff, paid_household):
    _, case = paid_household
    pay(staff, NOVEMBER)
    _review(case, staff, date(2024, 10, 28), 70000, Review.Outcome.DECREASE)  # 减发 from November
    assert amounts(line_of(generate(staff, DECEMBER), case)) == (
        1,
        DECEMBER,
        70000,
        0,
        -20000,
        50000,
    )


def test_a_review_takes_effect_the_month_after(staff, paid_household):
    _, case = paid_household
    pay(staff, NOVEMBER)
    _review(case, staff, date(2024, 12, 3), 110000)  # during December: from January
    december = generate(staff, DECEMBER)
    assert amounts(line_of(december, case)) == (1, DECEMBER, 90000, 0, 0, 90000)
    release(staff, december)
    assert amounts(line_of(generate(staff, JANUARY), case)) == (1, JANUARY, 110000, 0, 0, 110000)


def test_gradual_exit_pays_until_the_month_before_it_ends(staff, paid_household):
    _, case = paid_household
    GradualExit.objects.create(case=case, since=NOVEMBER, until=JANUARY)
    november = pay(staff, NOVEMBER)
    december = pay(staff, DECEMBER)
    assert [line_of(p, case).tapering for p in (november, december)] == [True, True]
    assert generate(staff, JANUARY).lines.filter(case=case).count() == 0


def test_a_suspended_case_gets_nothing_and_is_paid_back_once_resumed(staff, paid_household):
    _, case = paid_household
    Case.objects.filter(pk=case.pk).update(status=Status.SUSPENDED)
    november = generate(staff, NOVEMBER)
    assert (november.lines.count(), november.summary["suspended"]) == (0, 1)
    Case.objects.filter(pk=case.pk).update(status=Status.APPROVED)
    assert amounts(line_of(generate(staff, DECEMBER), case)) == (
        2,
        NOVEMBER,
        90000,
        90000,
        0,
        180000,
    )


def test_an_ended_case_is_paid_the_month_of_its_end_and_nothing_after(staff, paid_household):
    _, case = paid_household
    Case.objects.filter(pk=case.pk).update(status=Status.ENDED, ended_on=date(2024, 11, 20))
    assert amounts(line_of(pay(staff, NOVEMBER), case)) == (1, NOVEMBER, 90000, 0, 0, 90000)
    december = generate(staff, DECEMBER)
    assert (december.lines.count(), december.summary["ended"]) == (0, 1)


def test_months_paid_after_a_late_recorded_end_are_overpaid(staff, paid_household):
    _, case = paid_household
    pay(staff, NOVEMBER)
    pay(staff, DECEMBER)
    Case.objects.filter(pk=case.pk).update(status=Status.ENDED, ended_on=date(2024, 10, 15))
    january = generate(staff, JANUARY)
    line = line_of(january, case)
    assert (amounts(line), line.overpaid_fen) == ((0, JANUARY, 0, 0, 0, 0), 180000)
    assert {f.code: f.detail for f in line.flags.all()} == {
        Flag.Code.OVERPAID: {"overpaid_fen": 180000},
        Flag.Code.CHANGE: {"previous_fen": 90000, "amount_fen": 0},
    }


def test_the_care_part_of_a_tekun_payment(staff):
    household = _household(staff, members=1)
    person = household.members.get()
    case = approved(
        household,
        "tekun",
        person=person,
        amount_fen=200000,
        support_mode="dispersed",
        care_band="partial",
        created_by=staff["clerk"],
    )
    line = line_of(generate(staff, NOVEMBER, "tekun"), case)
    # 分散供养·半护理 4944 元/年 → 412.00 元/月 (annual ÷ 12, half up)
    assert (line.amount_fen, line.care_fen, line.beneficiary_id) == (200000, 41200, person.pk)


def test_a_one_off_grant_is_paid_once_and_a_second_waits_a_month(staff):
    household = _household(staff)
    first = approved(
        household,
        "temporary",
        amount_fen=200000,
        decided_on=date(2024, 11, 5),
        created_by=staff["clerk"],
    )
    second = approved(
        household,
        "temporary",
        amount_fen=50000,
        decided_on=date(2024, 11, 6),
        created_by=staff["clerk"],
    )
    november = pay(staff, NOVEMBER, "temporary")
    assert amounts(line_of(november, first)) == (1, NOVEMBER, 200000, 0, 0, 200000)
    assert (november.lines.count(), november.summary["deferred"]) == (1, 1)
    december = generate(staff, DECEMBER, "temporary")
    assert [amounts(line) for line in december.lines.all()] == [(1, NOVEMBER, 0, 50000, 0, 50000)]
    assert december.lines.get().case_id == second.pk


def test_regenerating_updates_the_same_lines_and_never_duplicates(staff, paid_household):
    household, case = paid_household
    other = approved(_household(staff), created_by=staff["clerk"])
    first = generate(staff)
    ids = sorted(first.lines.values_list("id", flat=True))
    Case.objects.filter(pk=case.pk).update(amount_fen=95000)
    second = generate(staff)
    assert (second.pk, second.generation, second.line_count, second.total_fen) == (
        first.pk,
        2,
        2,
        185000,
    )
    assert sorted(second.lines.values_list("id", flat=True)) == ids
    Case.objects.filter(pk=other.pk).update(status=Status.SUSPENDED)
    third = generate(staff)
    assert list(third.lines.values_list("case_id", flat=True)) == [case.pk]
    assert Line.objects.filter(program="dibao", period=NOVEMBER).count() == 1


def test_a_payee_on_another_countys_payroll_is_left_off(staff, paid_household):
    from minzheng.regions.models import Region

    household, case = paid_household
    county = Region.objects.create(
        code="330127000000", name="淳安县", level=3, parent_id="330100000000"
    )
    elsewhere = Payroll.objects.create(county=county, program="dibao", period=NOVEMBER)
    Line.objects.create(
        payroll=elsewhere,
        program="dibao",
        period=NOVEMBER,
        beneficiary=household.members.get(relation="head"),
        case=case,
        household=household,
        region_id=household.region_id,
        monthly_fen=90000,
        months=1,
        first_month=NOVEMBER,
        regular_fen=90000,
        back_pay_fen=0,
        adjustment_fen=0,
        care_fen=0,
        amount_fen=90000,
    )
    payroll = generate(staff)
    assert (payroll.line_count, payroll.summary["elsewhere"]) == (0, 1)
    assert payroll.summary["elsewhere_cases"] == [{"case": case.number, "county": "330127000000"}]
