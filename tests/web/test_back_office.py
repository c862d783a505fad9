"""The back office (Django admin): scoped, masked, and writing through the services."""

import pytest

from minzheng.accounts.models import User
from minzheng.audit.models import AuditEvent
from minzheng.regions.models import Region
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    TOWNSHIP_B,
    first_village,
    make_household,
    make_user,
)


@pytest.fixture
def two_households(regions):
    return make_household(first_village(TOWNSHIP_A)), make_household(first_village(TOWNSHIP_B))


def test_county_manager_sees_masked_persons_of_his_county(client, two_households):
    client.force_login(make_user("county_admin", DEMO_COUNTY))
    assert client.get("/admin/").status_code == 200
    page = client.get("/admin/registry/person/")
    assert page.status_code == 200
    body = page.content.decode()
    assert page.context["cl"].result_count == 4
    for household in two_households:
        for person in household.members.all():
            assert person.id_number not in body
            assert person.id_number[:6] + "********" + person.id_number[-4:] in body


def test_back_office_is_region_scoped(client, two_households):
    home, away = two_households
    client.force_login(make_user("county_admin", DEMO_COUNTY))
    assert client.get(f"/admin/registry/household/{home.pk}/change/").status_code == 200
    # the manager of another county of the same city sees none of these households
    Region.objects.create(code="330127000000", name="淳安县", level=3, parent_id="330100000000")
    client.force_login(make_user("county_admin", "330127000000"))
    assert client.get("/admin/registry/household/").context["cl"].result_count == 0
    response = client.get(f"/admin/registry/household/{away.pk}/change/")
    assert response.status_code == 302  # the admin's answer to an object it cannot find
    assert response.url == "/admin/"


def test_system_admin_creates_an_account_through_the_service(client, regions):
    sysadmin = make_user("system_admin", DEMO_COUNTY)
    client.force_login(sysadmin)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "new_clerk",
            "full_name": "李四",
            "region": TOWNSHIP_A,
            "password": "Str0ng-Passw0rd",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_clerk")
    assert (user.region_id, user.role_codes, user.check_password("Str0ng-Passw0rd")) == (
        TOWNSHIP_A,
        [],
        True,
    )
    event = AuditEvent.objects.filter(action="user.created").order_by("seq").last()
    assert (event.actor_id, event.after) == (
        sysadmin.pk,
        {"username": "new_clerk", "region": TOWNSHIP_A},
    )


def test_security_admin_grants_roles_in_the_back_office(client, regions):
    security = make_user("security_admin", DEMO_COUNTY)
    clerk = make_user("", TOWNSHIP_A)
    client.force_login(security)
    response = client.post(
        f"/admin/accounts/user/{clerk.pk}/change/", {"roles": ["township_clerk"]}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=clerk.pk).role_codes == ["township_clerk"]
    assert AuditEvent.objects.filter(action="role.granted", actor=security).count() == 1


def test_system_admin_cannot_set_roles_in_the_back_office(client, regions):
    sysadmin = make_user("system_admin", DEMO_COUNTY)
    client.force_login(sysadmin)
    response = client.post(
        f"/admin/accounts/user/{sysadmin.pk}/change/",
        {"full_name": "管理员", "region": DEMO_COUNTY, "is_active": "on", "roles": ["audit_admin"]},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=sysadmin.pk).role_codes == ["system_admin"]
    assert AuditEvent.objects.filter(action="role.granted", actor=sysadmin).count() == 0


def test_system_admin_saves_account_fields_in_the_back_office(client, regions):
    sysadmin = make_user("system_admin", DEMO_COUNTY)
    clerk = make_user("township_clerk", TOWNSHIP_A)
    User.objects.filter(pk=clerk.pk).update(full_name="旧名")
    client.force_login(sysadmin)
    response = client.post(
        f"/admin/accounts/user/{clerk.pk}/change/",
        {"full_name": "新名", "region": TOWNSHIP_A, "is_active": "on"},
    )
    assert response.status_code == 302
    stored = User.objects.get(pk=clerk.pk)
    assert (stored.full_name, stored.region_id, stored.is_active) == ("新名", TOWNSHIP_A, True)
    event = AuditEvent.objects.get(action="user.changed", actor=sysadmin)
    assert (event.before, event.after) == ({"full_name": "旧名"}, {"full_name": "新名"})


def test_a_region_edited_in_the_back_office_is_audited_field_by_field(client, regions):
    sysadmin = make_user("system_admin", DEMO_COUNTY)
    client.force_login(sysadmin)
    region = Region.objects.get(code=TOWNSHIP_A)
    form = {"name": "旧县街道（新）", "level": region.level, "urban_rural": region.urban_rural}
    form["parent"] = region.parent_id
    response = client.post(f"/admin/regions/region/{TOWNSHIP_A}/change/", form)
    assert response.status_code == 302
    assert Region.objects.get(code=TOWNSHIP_A).name == "旧县街道（新）"
    event = AuditEvent.objects.get(action="region.changed")
    assert (event.actor_id, event.object_id, event.region_code) == (
        sysadmin.pk,
        TOWNSHIP_A,
        TOWNSHIP_A,
    )
    assert (event.before, event.after) == ({"name": region.name}, {"name": "旧县街道（新）"})


def test_a_region_edit_without_the_right_changes_nothing(client, regions):
    client.force_login(make_user("county_admin", DEMO_COUNTY))
    region = Region.objects.get(code=TOWNSHIP_A)
    form = {"name": "改名", "level": region.level, "urban_rural": region.urban_rural}
    response = client.post(f"/admin/regions/region/{TOWNSHIP_A}/change/", form)
    assert response.status_code in (302, 403)
    assert Region.objects.get(code=TOWNSHIP_A).name == region.name
    assert not AuditEvent.objects.filter(action="region.changed").exists()
