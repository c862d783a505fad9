"""The registry screens: register, add a member, edit, transfer, history; and their matrix."""

from datetime import date

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.registry.models import Household, Person
from tests.factories import (
    TOWNSHIP_A,
    TOWNSHIP_B,
    first_village,
    make_household,
    make_id_number,
    make_user,
)

NEW_ID = make_id_number(date(1975, 2, 3), "M")
BAD_ID = NEW_ID[:17] + ("9" if NEW_ID[17] != "9" else "8")  # wrong check character


@pytest.fixture
def clerk(regions):
    return make_user("township_clerk", TOWNSHIP_A)


@pytest.fixture
def home(regions):
    return make_household(first_village(TOWNSHIP_A))


def person_post(**extra) -> dict:
    data = {"name": "赵强", "relation": "child", "labour_capacity": "full", "co_resident": "on"}
    data.update(extra)
    return data


def test_register_household_screen(client, clerk):
    client.force_login(clerk)
    village = first_village(TOWNSHIP_A)
    assert client.get("/registry/households/new/").status_code == 200
    response = client.post(
        "/registry/households/new/",
        {
            "village": village,
            "address": "旧县村1组2号",
            "area_type": "rural",
            "id_number": NEW_ID,
            **person_post(name="赵大山"),
        },
    )
    household = Household.objects.get(region_id=village)
    assert response.status_code == 302
    assert response.url == f"/registry/households/{household.pk}/"
    assert list(household.members.values_list("name", "relation")) == [("赵大山", "head")]


def test_register_refuses_a_village_outside_the_township(client, clerk):
    client.force_login(clerk)
    response = client.post(
        "/registry/households/new/",
        {
            "village": first_village(TOWNSHIP_B),
            "address": "横村1号",
            "area_type": "rural",
            "id_number": NEW_ID,
            **person_post(name="赵大山"),
        },
    )
    assert response.status_code == 422
    assert Household.objects.count() == 0


def test_add_member_screen_shows_field_errors_in_chinese(client, clerk, home):
    client.force_login(clerk)
    response = client.post(
        f"/registry/households/{home.pk}/members/new/",
        person_post(id_number=NEW_ID[:17] + "9" if NEW_ID[17] != "9" else "0", phone="12345"),
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "请输入11位手机号码。" in body
    assert home.members.count() == 2
    response = client.post(
        f"/registry/households/{home.pk}/members/new/",
        person_post(id_number=NEW_ID, phone="13900001111"),
    )
    assert response.status_code == 302
    added = home.members.get(name="赵强")
    assert (added.phone, added.sex, added.birth_date) == ("13900001111", "M", date(1975, 2, 3))


def test_add_member_with_a_registered_id_names_the_household(client, clerk, home):
    client.force_login(clerk)
    existing = home.members.first()
    response = client.post(
        f"/registry/households/{home.pk}/members/new/", person_post(id_number=existing.id_number)
    )
    assert response.status_code == 409
    assert f"该身份证号码已登记在户 {home.number}" in response.content.decode()
    assert home.members.count() == 2


def test_edit_person_screen_and_stale_edit(client, clerk, home):
    client.force_login(clerk)
    person = home.members.order_by("id").first()
    form = person_post(
        name=person.name,
        relation=person.relation,
        version=person.version,
        disability_category="physical",
        disability_grade="2",
    )
    assert client.post(f"/registry/persons/{person.pk}/edit/", form).status_code == 302
    person.refresh_from_db()
    assert (person.disability_category, person.disability_grade, person.version) == (
        "physical",
        2,
        2,
    )
    stale = client.post(f"/registry/persons/{person.pk}/edit/", {**form, "name": "改名"})
    assert stale.status_code == 409
    assert "该信息已被他人修改" in stale.content.decode()
    assert Person.objects.get(pk=person.pk).name == person.name


def test_transfer_screen(client, clerk, home):
    client.force_login(clerk)
    target = make_household(first_village(TOWNSHIP_A), members=1)
    spouse = home.members.get(relation="spouse")
    response = client.post(
        f"/registry/persons/{spouse.pk}/transfer/",
        {"to_household": target.number, "relation": "spouse", "reason": "婚嫁"},
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=spouse.pk).household_id == target.pk
    timeline = client.get(f"/registry/households/{home.pk}/timeline/")
    actions = [e.action for e in timeline.context["page"].object_list]
    assert actions == ["person.transferred"]


def test_transfer_to_another_townships_household_is_refused(client, clerk, home):
    client.force_login(clerk)
    away = make_household(first_village(TOWNSHIP_B), members=1)
    spouse = home.members.get(relation="spouse")
    response = client.post(
        f"/registry/persons/{spouse.pk}/transfer/",
        {"to_household": away.number, "relation": "spouse", "reason": "婚嫁"},
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=spouse.pk).household_id == home.pk
    assert not AuditEvent.objects.filter(action="person.transferred").exists()


SCREENS = [
    ("get", "/registry/households/{home}/members/new/"),
    ("get", "/registry/persons/{person}/edit/"),
    ("get", "/registry/persons/{person}/transfer/"),
    ("get", "/registry/households/{home}/timeline/"),
    ("post", "/registry/persons/{person}/edit/"),
    ("post", "/registry/persons/{person}/transfer/"),
    ("post", "/registry/households/{home}/members/new/"),
]


@pytest.mark.parametrize(("method", "url"), SCREENS)
@pytest.mark.parametrize(
    ("case", "role", "region", "status"),
    [
        ("other township", "township_clerk", TOWNSHIP_B, 404),
        ("system admin", "system_admin", "330122000000", 403),
        ("right clerk", "township_clerk", TOWNSHIP_A, None),
    ],
)
def test_screen_matrix(client, home, method, url, case, role, region, status):
    person = home.members.first()
    url = url.format(home=home.pk, person=person.pk)
    client.force_login(make_user(role, region))
    events_before = AuditEvent.objects.count()
    response = getattr(client, method)(url, {"name": "x", "to_household": home.number})
    if status is None:
        # the page, or its form refusing the incomplete input
        assert response.status_code == (200 if method == "get" else 422)
    else:
        assert response.status_code == status
        assert AuditEvent.objects.count() == events_before
        assert Person.objects.get(pk=person.pk).version == 1


def test_anonymous_is_sent_to_sign_in_from_every_screen(client, home):
    person = home.members.first()
    for _method, url in SCREENS:
        url = url.format(home=home.pk, person=person.pk)
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"/accounts/login/?next={url}")
