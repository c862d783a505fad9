"""Each pre-release check, both sides: what raises a finding and what does not."""

from datetime import date

import pytest
from django.utils import timezone

from minzheng.cases.models import Case
from minzheng.kit import crypto
from minzheng.monitoring.models import Fact, FeedFile
from minzheng.payments import relatives
from minzheng.regions.models import Region
from minzheng.registry.models import HouseholdMove, Person
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user
from tests.payments.conftest import (
    COUNTY,
    DECEMBER,
    NOVEMBER,
    approved,
    card,
    generate,
    line_of,
    pay,
    with_account,
)


def _findings(payroll, case) -> dict:
    return {f.code: f.detail for f in line_of(payroll, case).flags.all()}


def _household(members=2):
    household = make_household(first_village(TOWNSHIP_A), members=members)
    with_account(household.members.get(relation="head"))
    return household


def test_a_clean_line_has_no_finding(staff, paid_household):
    _, case = paid_household
    assert _findings(generate(staff), case) == {}


# ---- the payee died ------------------------------------------------------------------------


def test_payee_dead_in_the_registry(staff, paid_household):
    household, case = paid_household
    household.members.filter(relation="head").update(died_on=date(2024, 10, 30))
    found = _findings(generate(staff), case)
    assert found == {
        "dead": {"died_on": "2024-10-30", "death_source": "registry", "overpaid_fen": 0}
    }


def _fact(person, feed: str, values: dict, period="2024-10") -> Fact:
    file = FeedFile.objects.create(
        feed=feed,
        department="公安",
        period=period,
        sha256=f"{feed}{person.pk}".ljust(64, "0"),
        filename=f"{feed}.csv",
        region_id=COUNTY,
    )
    return Fact.objects.create(
        person=person, feed=feed, period=period, file=file, row=2, values=values
    )


def test_payee_dead_by_the_public_security_feed_with_the_months_paid_since(staff):
    household = _household(members=1)
    person = household.members.get()
    case = approved(household, "tekun", person=person, amount_fen=150000, created_by=staff["clerk"])
    pay(staff, NOVEMBER, "tekun")
    fact = _fact(person, "deaths", {"name": person.name, "died_on": "2024-10-20"})
    found = _findings(generate(staff, DECEMBER, "tekun"), case)
    assert found == {
        "dead": {
            "died_on": "2024-10-20",
            "death_source": f"{fact.file_id}:2",
            "overpaid_fen": 150000,  # November was paid after the death in October
        }
    }


# ---- two households, two counties ----------------------------------------------------------


def test_person_case_whose_payee_moved_to_another_household(staff):
    household = _household(members=2)
    person = household.members.exclude(relation="head").get()
    with_account(person)
    case = approved(household, "tekun", person=person, amount_fen=150000, created_by=staff["clerk"])
    other = make_household(first_village(TOWNSHIP_A), members=1)
    Person.objects.filter(pk=person.pk).update(household=other)
    found = _findings(generate(staff, NOVEMBER, "tekun"), case)
    assert found == {"two_households": {"found": [{"reason": "moved_away", "member": None}]}}


def test_member_counted_in_two_paid_households(staff, paid_household):
    household, case = paid_household
    mover = household.members.exclude(relation="head").get()
    other = _household(members=1)
    approved(other, created_by=staff["clerk"])
    HouseholdMove.objects.create(
        person=mover,
        from_household=household,
        to_household=other,
        moved_at=timezone.make_aware(timezone.datetime(2024, 10, 28, 10, 0)),
        reason="投靠子女",
    )
    Person.objects.filter(pk=mover.pk).update(household=other)
    found = _findings(generate(staff), case)
    masked = mover.name[0] + "*" + (mover.name[-1] if len(mover.name) > 2 else "")
    assert found == {"two_households": {"found": [{"reason": "counted_twice", "member": masked}]}}


def test_a_move_before_the_decision_is_not_counted_twice(staff, paid_household):
    household, case = paid_household
    mover = household.members.exclude(relation="head").get()
    other = _household(members=1)
    approved(other, created_by=staff["clerk"])
    HouseholdMove.objects.create(
        person=mover,
        from_household=household,
        to_household=other,
        moved_at=timezone.make_aware(timezone.datetime(2024, 10, 2, 10, 0)),
        reason="投靠子女",
    )
    assert "two_households" not in _findings(generate(staff), case)


def test_payee_living_in_another_county(staff, paid_household):
    household, case = paid_household
    Region.objects.create(code="330127000000", name="淳安县", level=3, parent_id="330100000000")
    Region.objects.create(code="330127100000", name="千岛湖镇", level=4, parent_id="330127000000")
    Region.objects.create(code="330127100001", name="某村", level=5, parent_id="330127100000")
    household.members.filter(relation="head").update(region_id="330127100001")
    found = _findings(generate(staff), case)
    assert found == {"two_counties": {"found": [{"reason": "lives_elsewhere", "where": "330127"}]}}


def test_payee_whose_hukou_moved_out(staff, paid_household):
    household, case = paid_household
    head = household.members.get(relation="head")
    _fact(head, "hukou_moves", {"name": head.name, "moved_on": "2024-10-12", "direction": "out"})
    found = _findings(generate(staff), case)
    assert found == {
        "two_counties": {"found": [{"reason": "hukou_moved_out", "where": "2024-10-12"}]}
    }


def test_a_hukou_moved_in_is_no_finding(staff, paid_household):
    household, case = paid_household
    head = household.members.get(relation="head")
    _fact(head, "hukou_moves", {"name": head.name, "moved_on": "2024-10-12", "direction": "in"})
    assert _findings(generate(staff), case) == {}


# ---- mutually exclusive programs -----------------------------------------------------------


def test_tekun_member_of_a_dibao_household_is_found_on_both_payrolls(staff, paid_household):
    household, dibao = paid_household
    member = household.members.exclude(relation="head").get()
    with_account(member)
    tekun = approved(
        household, "tekun", person=member, amount_fen=150000, created_by=staff["clerk"]
    )
    masked = member.name[0] + "*" + (member.name[-1] if len(member.name) > 2 else "")
    assert _findings(generate(staff), dibao) == {
        "exclusive": {
            "found": [{"member": masked, "program": "tekun", "case_number": tekun.number}]
        }
    }
    assert _findings(generate(staff, NOVEMBER, "tekun"), tekun) == {
        "exclusive": {
            "found": [{"member": masked, "program": "dibao", "case_number": dibao.number}]
        }
    }


def test_both_disability_subsidies_together_are_allowed(staff):
    household = _household(members=1)
    person = household.members.get()
    living = approved(
        household, "disability_living", person=person, amount_fen=15500, created_by=staff["clerk"]
    )
    approved(
        household, "disability_nursing", person=person, amount_fen=14000, created_by=staff["clerk"]
    )
    assert _findings(generate(staff, NOVEMBER, "disability_living"), living) == {}


# ---- 近亲属备案 ------------------------------------------------------------------------------


def test_a_declared_relative_of_a_case_worker_is_flagged_for_review(staff, paid_household):
    household, case = paid_household
    member = household.members.exclude(relation="head").get()
    worker = make_user("village_worker", first_village(TOWNSHIP_A), username="li_si")
    worker.full_name = "李四"
    worker.save(update_fields=["full_name"])
    relatives.declare(worker, member.name, member.id_number, "sibling", date(2024, 10, 1))
    masked = member.name[0] + "*" + (member.name[-1] if len(member.name) > 2 else "")
    assert _findings(generate(staff), case) == {
        "relative": {"found": [{"member": masked, "staff": "李四", "relation": "sibling"}]}
    }


def test_a_withdrawn_declaration_no_longer_flags(staff, paid_household):
    household, case = paid_household
    member = household.members.exclude(relation="head").get()
    worker = make_user("village_worker", first_village(TOWNSHIP_A))
    declared = relatives.declare(
        worker, member.name, member.id_number, "sibling", date(2024, 10, 1)
    )
    relatives.withdraw(worker, declared.pk, date(2024, 10, 20))
    assert _findings(generate(staff), case) == {}


# ---- amount changes and caps -------------------------------------------------------------


@pytest.mark.parametrize(
    ("case_label", "december_fen", "flagged"),
    [
        ("30% more is the limit", 117000, False),
        ("one fen more than 30%", 117001, True),
        ("30% less is the limit", 63000, False),
        ("one fen less than that", 62999, True),
    ],
)
def test_amount_changed_more_than_the_share_since_last_month(
    staff, paid_household, case_label, december_fen, flagged
):
    _, case = paid_household
    pay(staff, NOVEMBER)
    Case.objects.filter(pk=case.pk).update(amount_fen=december_fen, start_month=DECEMBER)
    found = _findings(generate(staff, DECEMBER), case)
    expected = {"change": {"previous_fen": 90000, "amount_fen": december_fen}} if flagged else {}
    assert found == expected


@pytest.mark.parametrize(
    ("case_label", "monthly_fen", "flagged"),
    [("at the cap for two persons", 600000, False), ("one fen above", 600001, True)],
)
def test_amount_above_the_programs_cap_per_person_covered(
    staff, paid_household, case_label, monthly_fen, flagged
):
    _, case = paid_household
    Case.objects.filter(pk=case.pk).update(amount_fen=monthly_fen)
    found = _findings(generate(staff), case)
    detail = {"monthly_fen": monthly_fen, "cap_fen": 300000, "persons": 2}
    assert found == ({"cap": detail} if flagged else {})


# ---- bank accounts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case_label", "bank", "account", "reason"),
    [
        ("no account", "农村信用社", "", "no_account"),
        ("no bank", "", card(7), "no_bank"),
        ("letters", "农村信用社", "62284800000000ABC", "invalid"),
        ("too short", "农村信用社", "12345", "invalid"),
        (
            "card with a wrong check digit",
            "农村信用社",
            card(7)[:-1] + str((int(card(7)[-1]) + 1) % 10),
            "invalid",
        ),
        ("passbook account (not a card)", "农村信用社", "19012301040012345", None),
        ("valid card", "农村信用社", card(7), None),
    ],
)
def test_missing_or_invalid_bank_account(staff, paid_household, case_label, bank, account, reason):
    household, case = paid_household
    head = household.members.get(relation="head")
    head.bank_name, head.bank_account = bank, account
    head.save(update_fields=["bank_name", "bank_account"])
    found = _findings(generate(staff), case)
    assert found == ({"account": {"reason": reason}} if reason else {})


def test_the_line_keeps_the_encrypted_account_never_a_clear_one(staff, paid_household):
    household, case = paid_household
    payroll = generate(staff)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT bank_account FROM payments_line WHERE payroll_id = %s", [payroll.pk])
        stored = cursor.fetchone()[0]
    head = household.members.get(relation="head")
    assert stored.startswith("v1:") and crypto.decrypt(stored) == head.bank_account


def test_an_account_paid_last_month_is_judged_again_once_changed(staff, paid_household):
    household, case = paid_household
    pay(staff, NOVEMBER)
    assert _findings(generate(staff, DECEMBER), case) == {}
    head = household.members.get(relation="head")
    head.bank_account = card(5)[:-1] + str((int(card(5)[-1]) + 1) % 10)  # a wrong check digit
    head.save(update_fields=["bank_account"])
    assert _findings(generate(staff, DECEMBER), case) == {"account": {"reason": "invalid"}}
