import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from minzheng.accounts import services
from minzheng.accounts.errors import Error
from minzheng.accounts.models import User
from minzheng.accounts.roles import ROLES
from minzheng.audit.models import AuditEvent
from tests.factories import DEMO_COUNTY, TOWNSHIP_A, make_user
from tests.refusals import refused


def test_every_role_is_a_group_with_exactly_its_permissions(db):
    for code, role in ROLES.items():
        group = Group.objects.get(name=code)
        names = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert names == set(role.permissions), code


def test_superusers_cannot_exist(regions):
    user = make_user("county_admin", DEMO_COUNTY)
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=user.pk).update(is_superuser=True)


def test_security_admin_grants_a_business_role_and_it_is_audited(regions):
    security = make_user("security_admin", DEMO_COUNTY)
    clerk = make_user("", TOWNSHIP_A)
    services.grant_role(security, clerk, "township_clerk", reason="新入职")
    clerk = User.objects.get(pk=clerk.pk)
    assert clerk.role_codes == ["township_clerk"]
    event = AuditEvent.objects.filter(action="role.granted").order_by("seq").last()
    assert (event.actor_id, event.object_id, event.after) == (
        security.pk,
        str(clerk.pk),
        {"role": "township_clerk"},
    )


@pytest.mark.parametrize(
    ("case", "actor_role", "target_roles", "grant", "error"),
    [
        (
            "system admin grants audit to another",
            "system_admin",
            [],
            "audit_admin",
            Error.ONLY_SECURITY_ADMIN_GRANTS,
        ),
        (
            "security admin combines admin roles",
            "security_admin",
            ["system_admin"],
            "audit_admin",
            Error.SEPARATION_OF_DUTIES,
        ),
        (
            "admin role on a business user",
            "security_admin",
            ["county_approver"],
            "audit_admin",
            Error.SEPARATION_OF_DUTIES,
        ),
        (
            "audit admin grants anything",
            "audit_admin",
            [],
            "county_approver",
            Error.ONLY_SECURITY_ADMIN_GRANTS,
        ),
    ],
)
def test_refused_grants_change_nothing(regions, case, actor_role, target_roles, grant, error):
    actor = make_user(actor_role, DEMO_COUNTY)
    target = make_user("", DEMO_COUNTY)
    for role in target_roles:
        services._apply_role(target, ROLES[role], actor=None, reason="setup")
    events_before = AuditEvent.objects.count()
    with refused(error):
        services.grant_role(actor, target, grant)
    assert User.objects.get(pk=target.pk).role_codes == target_roles
    assert AuditEvent.objects.count() == events_before


def test_system_admin_cannot_grant_himself_audit_rights(regions):
    sysadmin = make_user("system_admin", DEMO_COUNTY)
    with refused(Error.ONLY_SECURITY_ADMIN_GRANTS):
        services.grant_role(sysadmin, sysadmin, "audit_admin")
    assert User.objects.get(pk=sysadmin.pk).role_codes == ["system_admin"]
    assert not User.objects.get(pk=sysadmin.pk).has_perm("audit.view_auditevent")


def test_security_admin_cannot_grant_himself(regions):
    security = make_user("security_admin", DEMO_COUNTY)
    with refused(Error.SELF_GRANT):
        services.grant_role(security, security, "county_approver")


def test_role_requires_a_home_region_of_its_level(regions):
    security = make_user("security_admin", DEMO_COUNTY)
    user = make_user("", DEMO_COUNTY)
    with refused(Error.REGION_LEVEL_MISMATCH):
        services.grant_role(security, user, "township_clerk")
    assert User.objects.get(pk=user.pk).role_codes == []


def test_weak_password_is_refused_in_chinese(regions):
    with refused(Error.WEAK_PASSWORD) as weak:
        services.create_user(None, username="weak", password="abcdefghijk", region_code=DEMO_COUNTY)
    assert weak.value.field == "password"
    assert not User.objects.filter(username="weak").exists()


def test_duplicate_username_is_a_conflict(regions):
    make_user("county_approver", DEMO_COUNTY, username="dup")
    with refused(Error.USERNAME_TAKEN):
        make_user("county_approver", DEMO_COUNTY, username="dup")
    assert User.objects.filter(username="dup").count() == 1
