from datetime import date

import pytest
from stdnum.cn import ric

from minzheng.audit.models import AuditEvent
from minzheng.kit.errors import Error as KitError
from minzheng.kit.errors import NotFound
from minzheng.registry import forms, forms_circumstances, people, selectors
from minzheng.registry.errors import Error
from minzheng.registry.models import Household, HouseholdMove, Person
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    TOWNSHIP_B,
    first_village,
    make_id_number,
    make_user,
)
from tests.refusals import refused

HEAD_ID = make_id_number(date(1968, 5, 4), "M")
WIFE_ID = make_id_number(date(1970, 8, 9), "F")


@pytest.fixture
def clerk(regions):
    return make_user("township_clerk", TOWNSHIP_A)


@pytest.fixture
def household(clerk):
    return people.register_household(
        clerk,
        village_code=first_village(TOWNSHIP_A),
        address="旧县村3组8号",
        area_type="rural",
        head_id_number=HEAD_ID,
        head=people.PersonFacts(name="张建国", relation="head"),
    )


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_register_household_numbers_it_and_derives_the_head(household):
    assert household.number == first_village(TOWNSHIP_A) + "00001"
    head = household.members.get()
    assert (head.name, head.relation, head.sex, head.birth_date) == (
        "张建国",
        "head",
        "M",
        date(1968, 5, 4),
    )
    assert (head.name_pinyin, head.name_initials) == ("zhangjianguo", "zjg")
    assert [e.action for e in AuditEvent.objects.filter(seq__gt=1).order_by("seq")][-2:] == [
        "household.registered",
        "person.registered",
    ]
    assert HEAD_ID not in str(events("person.registered")[0].after)


def test_second_household_in_the_village_gets_the_next_number(clerk, household):
    second = people.register_household(
        clerk,
        village_code=household.region_id,
        address="旧县村3组9号",
        area_type="rural",
        head_id_number=WIFE_ID,
        head=people.PersonFacts(name="李芳", relation="head"),
    )
    assert second.number == household.region_id + "00002"


def test_same_id_number_in_scope_names_the_existing_household(clerk, household):
    before = Person.objects.count()
    with refused(Error.DUPLICATE_ID_NUMBER) as caught:
        people.add_member(
            clerk, household.pk, HEAD_ID.lower(), people.PersonFacts(name="张三", relation="child")
        )
    assert caught.value.message == Error.DUPLICATE_ID_NUMBER.text(
        number=household.number, name="张建国"
    )
    assert Person.objects.count() == before
    assert events("person.registered").__len__() == 1


def test_same_id_number_outside_scope_does_not_leak_where(clerk, household):
    other = make_user("township_clerk", TOWNSHIP_B)
    with refused(Error.DUPLICATE_ID_NUMBER_ELSEWHERE) as caught:
        people.register_household(
            other,
            village_code=first_village(TOWNSHIP_B),
            address="横村1号",
            area_type="rural",
            head_id_number=HEAD_ID,
            head=people.PersonFacts(name="张建国", relation="head"),
        )
    assert household.number not in caught.value.message


def test_cannot_register_in_another_township(clerk):
    with refused(Error.VILLAGE_OUT_OF_SCOPE):
        people.register_household(
            clerk,
            village_code=first_village(TOWNSHIP_B),
            address="横村1号",
            area_type="rural",
            head_id_number=HEAD_ID,
            head=people.PersonFacts(name="张建国", relation="head"),
        )
    assert Household.objects.count() == 0


def test_second_head_is_refused(clerk, household):
    with refused(Error.HOUSEHOLD_HAS_HEAD):
        people.add_member(
            clerk, household.pk, WIFE_ID, people.PersonFacts(name="李芳", relation="head")
        )
    assert household.members.count() == 1


def test_invalid_id_number_is_refused_with_its_reason(clerk, household):
    with refused(KitError.ID_CHECKSUM):
        people.add_member(
            clerk,
            household.pk,
            HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1"),
            people.PersonFacts(name="李芳", relation="spouse"),
        )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", KitError.ID_MISSING),
        ("  ", KitError.ID_MISSING),
        ("1.10105E+17", KitError.ID_EXCEL_MANGLED),
        ("1,10105e17", KitError.ID_EXCEL_MANGLED),
    ],
)
def test_blank_or_excel_mangled_id_number_is_refused_saying_so(clerk, household, raw, code):
    with refused(code):
        people.add_member(
            clerk, household.pk, raw, people.PersonFacts(name="李芳", relation="spouse")
        )
    assert household.members.count() == 1


def test_a_county_code_created_after_the_birth_date_is_accepted(clerk, household):
    """110118 密云区 dates from 2015: a child born there in 2010 carries its code."""
    body = "11011820100101002"
    number = body + ric.calc_check_digit(body + "0")
    child = people.add_member(
        clerk, household.pk, number, people.PersonFacts(name="张小明", relation="child")
    )
    assert (child.birth_date, child.sex) == (date(2010, 1, 1), "F")


@pytest.mark.parametrize("blank", ["", "   "])
def test_the_forms_call_a_blank_id_number_missing(blank):
    member = forms.NewPersonForm({"id_number": blank, "name": "李芳", "relation": "spouse"})
    supporter = forms_circumstances.SupporterForm({"supporter_id_number": blank})
    assert member.errors["id_number"] == [KitError.ID_MISSING.text()]
    assert supporter.errors["supporter_id_number"] == [KitError.ID_MISSING.text()]


def test_update_person_with_version_and_stale_edit(clerk, household):
    head = household.members.get()
    updated = people.update_person(
        clerk, head.pk, {"phone": "13812345678", "employed": True}, version=head.version
    )
    assert (updated.phone, updated.employed, updated.version) == ("13812345678", True, 2)
    event = events("person.changed")[-1]
    assert (event.before, event.after) == (
        {"phone": "", "employed": False},
        {"phone": "138****5678", "employed": True},
    )
    with refused(Error.STALE_EDIT):
        people.update_person(clerk, head.pk, {"name": "张建军"}, version=1)
    assert Person.objects.get(pk=head.pk).name == "张建国"
    assert len(events("person.changed")) == 1


def test_transfer_moves_the_person_and_closes_an_emptied_household(clerk, household):
    spouse = people.add_member(
        clerk, household.pk, WIFE_ID, people.PersonFacts(name="李芳", relation="spouse")
    )
    target = people.register_household(
        clerk,
        village_code=household.region_id,
        address="旧县村5组1号",
        area_type="rural",
        head_id_number=make_id_number(date(1990, 1, 2), "M"),
        head=people.PersonFacts(name="王强", relation="head"),
    )
    moved = people.transfer_person(clerk, spouse.pk, target.pk, relation="spouse", reason="婚嫁")
    assert (moved.household_id, moved.relation, moved.region_id) == (
        target.pk,
        "spouse",
        target.region_id,
    )
    move = HouseholdMove.objects.get()
    assert (move.from_household_id, move.to_household_id, move.reason) == (
        household.pk,
        target.pk,
        "婚嫁",
    )
    assert events("person.transferred")[0].after == {
        "household": target.number,
        "relation": "spouse",
    }
    head = household.members.get()
    people.transfer_person(clerk, head.pk, target.pk, relation="parent", reason="投靠子女")
    household.refresh_from_db()
    assert household.status == "closed"


def test_head_cannot_leave_a_household_with_other_members(clerk, household):
    people.add_member(
        clerk, household.pk, WIFE_ID, people.PersonFacts(name="李芳", relation="spouse")
    )
    target = people.register_household(
        clerk,
        village_code=household.region_id,
        address="5组1号",
        area_type="rural",
        head_id_number=make_id_number(date(1990, 1, 2), "M"),
        head=people.PersonFacts(name="王强", relation="head"),
    )
    head = household.members.get(relation="head")
    with refused(Error.TRANSFER_HEAD_FIRST):
        people.transfer_person(clerk, head.pk, target.pk, relation="parent", reason="x")
    assert Person.objects.get(pk=head.pk).household_id == household.pk
    assert HouseholdMove.objects.count() == 0


def test_transfer_into_another_township_is_not_found(clerk, household, regions):
    other_clerk = make_user("township_clerk", TOWNSHIP_B)
    away = people.register_household(
        other_clerk,
        village_code=first_village(TOWNSHIP_B),
        address="横村1号",
        area_type="rural",
        head_id_number=WIFE_ID,
        head=people.PersonFacts(name="李芳", relation="head"),
    )
    head = household.members.get()
    with pytest.raises(NotFound):
        people.transfer_person(clerk, head.pk, away.pk, relation="spouse", reason="婚嫁")
    assert Person.objects.get(pk=head.pk).household_id == household.pk


@pytest.mark.parametrize(
    ("case", "search"),
    [
        ("ID number", HEAD_ID),
        ("ID with spaces and lower x", " " + HEAD_ID.lower() + " "),
        ("name", "张建"),
        ("pinyin", "zhangjian"),
        ("initials", "ZJG"),
        ("household number", None),
    ],
)
def test_search_finds_the_household(clerk, household, case, search):
    search = household.number if search is None else search
    assert [h.pk for h in selectors.households_for(clerk, search=search)] == [household.pk]


def test_search_outside_scope_finds_nothing(household):
    outsider = make_user("township_clerk", TOWNSHIP_B)
    assert list(selectors.households_for(outsider, search=HEAD_ID)) == []
    county = make_user("county_approver", DEMO_COUNTY)
    assert [h.pk for h in selectors.households_for(county, search="zjg")] == [household.pk]
