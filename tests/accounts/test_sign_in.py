import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from minzheng.accounts.models import AddressThrottle, LoginThrottle
from minzheng.audit.models import AuditEvent
from tests.factories import DEMO_COUNTY, PASSWORD, make_user

LOGIN = "/accounts/login/"


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


@pytest.fixture
def approver(regions):
    user = make_user("county_approver", DEMO_COUNTY, username="approver")
    return user


def test_successful_sign_in_lands_on_home_and_is_audited(client, approver):
    start = AuditEvent.objects.count()
    response = client.post(LOGIN, {"username": "approver", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert actions()[start:] == ["login.succeeded"]
    event = AuditEvent.objects.get(action="login.succeeded")
    assert (event.actor_id, event.region_code, event.ip) == (approver.pk, DEMO_COUNTY, "127.0.0.1")


def test_wrong_password_counts_down_then_locks_for_fifteen_minutes(client, approver):
    for attempt in range(1, 5):
        response = client.post(LOGIN, {"username": "approver", "password": "wrong"})
        assert response.status_code == 401
        assert f"还可尝试{5 - attempt}次" in response.content.decode()
    response = client.post(LOGIN, {"username": "approver", "password": "wrong"})
    assert "连续5次登录失败，账号已被锁定15分钟" in response.content.decode()
    # Even the right password is refused while locked, and no session is created.
    response = client.post(LOGIN, {"username": "approver", "password": PASSWORD})
    assert response.status_code == 401
    assert "账号因多次登录失败已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert actions().count("login.failed") == 5
    assert actions().count("account.locked") == 1
    assert actions()[-1] == "login.refused_locked"
    assert "login.succeeded" not in actions()


def test_lock_expires_after_the_lockout_period(client, approver, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    for _ in range(5):
        client.post(LOGIN, {"username": "approver", "password": "wrong"})
    assert LoginThrottle.objects.get(username="approver").locked_until is not None
    time.sleep(1.1)
    response = client.post(LOGIN, {"username": "approver", "password": PASSWORD})
    assert response.status_code == 302
    throttle = LoginThrottle.objects.get(username="approver")
    assert (throttle.failures, throttle.locked_until) == (0, None)


def test_unknown_usernames_lock_too(client, db):
    for _ in range(5):
        client.post(LOGIN, {"username": "nobody", "password": "x"})
    assert LoginThrottle.objects.get(username="nobody").locked_until is not None


def test_idle_session_is_ended_with_a_message(client, approver, settings):
    client.post(LOGIN, {"username": "approver", "password": PASSWORD})
    assert client.get("/").status_code == 200
    session = client.session
    session["last_seen"] = time.time() - settings.IDLE_TIMEOUT_SECONDS - 1
    session.save()
    response = client.get("/registry/households/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/registry/households/"
    page = client.get(response.url).content.decode()
    assert "您已超过30分钟未操作" in page
    assert actions()[-1] == "session.timeout"
    assert client.get("/").status_code == 302  # the session is gone


def test_active_session_is_not_ended(client, approver, settings):
    client.post(LOGIN, {"username": "approver", "password": PASSWORD})
    session = client.session
    session["last_seen"] = time.time() - settings.IDLE_TIMEOUT_SECONDS + 60
    session.save()
    assert client.get("/").status_code == 200
    assert "session.timeout" not in actions()


def test_sign_out_is_audited_and_requires_post(client, approver):
    client.post(LOGIN, {"username": "approver", "password": PASSWORD})
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert actions()[-1] == "session.logout"
    assert client.get("/").status_code == 302


def test_back_office_login_goes_through_the_lockout_form(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/"


def test_back_office_sign_out_is_ours_and_audited(client, approver):
    client.post(LOGIN, {"username": "approver", "password": PASSWORD})
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert actions()[-1] == "session.logout"


def test_a_username_longer_than_the_audit_column_still_counts_towards_the_lockout(client, db):
    """On PostgreSQL the failed attempt's audit write used to fail (a 500) and roll the
    failure count back: no lockout for long names."""
    name = "长" * 20 + "x" * 100  # 120 characters: within the form's 150
    for _ in range(5):
        response = client.post(LOGIN, {"username": name, "password": "wrong"})
        assert response.status_code == 401
    throttle = LoginThrottle.objects.get(username=name)
    assert throttle.locked_until is not None
    failed = AuditEvent.objects.filter(action="login.failed").order_by("seq")
    assert [e.object_id for e in failed] == [name[:64]] * 5
    assert failed.last().after == {"failures": 5, "username": name}
    assert actions()[-1] == "account.locked"


def test_one_address_trying_many_usernames_is_stopped(client, approver, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for name in ("a1", "a2", "a3"):  # each name stays far below its own limit
        assert client.post(LOGIN, {"username": name, "password": "x"}).status_code == 401
    seq = AuditEvent.objects.count()
    response = client.post(LOGIN, {"username": "approver", "password": PASSWORD})
    assert response.status_code == 401
    assert "该网络地址登录失败次数过多" in response.content.decode()
    assert actions()[seq:] == ["login.refused_address"]
    assert "_auth_user_id" not in client.session
    # the window passes: the address may try again, and the right password signs in
    window_start = AddressThrottle.objects.get(address="127.0.0.1").window_started_at
    AddressThrottle.objects.update(window_started_at=window_start - timedelta(minutes=16))
    response = client.post(LOGIN, {"username": "approver", "password": PASSWORD})
    assert response.status_code == 302 and actions()[-1] == "login.succeeded"


def test_a_lockout_ends_the_sessions_opened_before_it(client, approver):
    signed_in = Client()
    signed_in.force_login(approver)
    assert signed_in.get("/").status_code == 200
    for _ in range(5):
        client.post(LOGIN, {"username": "approver", "password": "wrong"})
    assert AuditEvent.objects.filter(action="account.locked").get().after["sessions_ended"]
    response = signed_in.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
