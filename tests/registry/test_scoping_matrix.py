"""A township user cannot list, open or change another township's households (and the rest of
the region/role matrix). Refusals leave the data and the audit log untouched."""

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.registry.models import Household, Person
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    TOWNSHIP_B,
    first_village,
    make_household,
    make_user,
)


@pytest.fixture
def world(regions):
    home = make_household(first_village(TOWNSHIP_A), address="旧县路1号")
    away = make_household(first_village(TOWNSHIP_B), address="横村路9号")
    return home, away


def _edit(client, household, address="新地址8号"):
    return client.post(
        f"/registry/households/{household.pk}/edit/",
        {"address": address, "version": household.version},
    )


def test_township_user_lists_only_his_township(client, world):
    home, away = world
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    page = client.get("/registry/households/")
    assert [h.number for h in page.context["page"].object_list] == [home.number]
    assert away.number not in page.content.decode()


@pytest.mark.parametrize(
    ("case", "role", "region", "see_home", "see_away"),
    [
        ("township A clerk", "township_clerk", TOWNSHIP_A, 200, 404),
        ("township B clerk", "township_clerk", TOWNSHIP_B, 404, 200),
        ("county approver", "county_approver", DEMO_COUNTY, 200, 200),
        ("system admin reads no personal data", "system_admin", DEMO_COUNTY, 403, 403),
    ],
)
def test_open_household_matrix(client, world, case, role, region, see_home, see_away):
    home, away = world
    client.force_login(make_user(role, region))
    assert client.get(f"/registry/households/{home.pk}/").status_code == see_home
    assert client.get(f"/registry/households/{away.pk}/").status_code == see_away


def test_anonymous_is_sent_to_sign_in(client, world):
    home, _ = world
    response = client.get(f"/registry/households/{home.pk}/")
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next=/registry/households/{home.pk}/"


def test_other_townships_household_cannot_be_changed(client, world):
    _, away = world
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    events_before = AuditEvent.objects.count()
    response = _edit(client, away)
    assert response.status_code == 404
    assert "对象不存在或不在您的管辖范围内" in response.content.decode()
    away.refresh_from_db()
    assert (away.address, away.version) == ("横村路9号", 1)
    assert AuditEvent.objects.count() == events_before


def test_own_household_is_changed_with_an_audit_event(client, world):
    home, _ = world
    clerk = make_user("township_clerk", TOWNSHIP_A)
    client.force_login(clerk)
    response = _edit(client, home)
    assert response.status_code == 302
    home.refresh_from_db()
    assert (home.address, home.version) == ("新地址8号", 2)
    event = AuditEvent.objects.order_by("seq").last()
    assert (event.action, event.actor_id, event.region_code) == (
        "household.changed",
        clerk.pk,
        home.region_id,
    )
    assert (event.before, event.after) == ({"address": "旧县路1号"}, {"address": "新地址8号"})


def test_stale_edit_is_refused_with_409_and_nothing_overwritten(client, world):
    home, _ = world
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    stale_version = home.version
    assert _edit(client, home, "第一次修改").status_code == 302
    events_before = AuditEvent.objects.count()
    home.version = stale_version
    response = _edit(client, home, "过期的修改")
    assert response.status_code == 409
    assert "该户信息已被他人修改" in response.content.decode()
    assert Household.objects.get(pk=home.pk).address == "第一次修改"
    assert AuditEvent.objects.count() == events_before


def test_viewer_role_cannot_change(client, world):
    home, _ = world
    client.force_login(make_user("city_viewer", "330100000000"))
    assert client.get(f"/registry/households/{home.pk}/").status_code == 200
    assert _edit(client, home).status_code == 403
    assert Household.objects.get(pk=home.pk).version == 1


@pytest.mark.parametrize(
    ("case", "role", "region", "which", "status"),
    [
        ("own township", "township_clerk", TOWNSHIP_A, "home", 200),
        ("other township", "township_clerk", TOWNSHIP_B, "home", 404),
        ("role without reveal", "village_worker", None, "home", 403),
    ],
)
def test_reveal_matrix(client, world, case, role, region, which, status):
    home, _ = world
    region = region or home.region_id
    client.force_login(make_user(role, region))
    person = home.members.order_by("id").first()
    events_before = AuditEvent.objects.count()
    response = client.post(f"/registry/persons/{person.pk}/reveal/")
    assert response.status_code == status
    new_events = list(AuditEvent.objects.filter(seq__gt=events_before))
    if status == 200:
        assert person.id_number in response.content.decode()
        assert [(e.action, e.object_id) for e in new_events] == [
            ("person.revealed", str(person.pk))
        ]
        assert person.id_number not in str(new_events[0].after)  # masked in the log
    else:
        assert person.id_number not in response.content.decode()
        assert new_events == []


def test_detail_page_masks_id_numbers(client, world):
    home, _ = world
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    body = client.get(f"/registry/households/{home.pk}/").content.decode()
    for person in home.members.all():
        assert person.id_number not in body
        assert person.id_number[:6] + "********" + person.id_number[-4:] in body


def test_id_numbers_are_encrypted_at_rest(world):
    from django.db import connection

    home, _ = world
    person = home.members.first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM registry_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:") and person.id_number not in stored


@pytest.mark.parametrize("by", ["id_number", "name", "number"])
def test_search_never_finds_another_townships_household(client, world, by):
    _, away = world
    person = away.members.first()
    Person.objects.filter(pk=person.pk).update(name="横村独有")
    query = {"id_number": person.id_number, "name": "横村独有", "number": away.number}[by]
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    page = client.get("/registry/households/", {"q": query})
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == []
    table = page.content.decode().split('id="household-table"')[1]
    assert away.number not in table and "横村独有" not in table
