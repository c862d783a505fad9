"""The 403 pages: a refused permission and a failed CSRF check keep the site's layout and speak
Chinese; the API keeps its JSON; a 403 is logged as one warning line without a traceback."""

import json
import logging
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from minzheng.web.forbidden import csrf_failure, permission_denied
from tests.factories import DEMO_COUNTY, make_user

CSRF_VIEW = "minzheng.web.forbidden.csrf_failure"


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def english_words(html: str, *allowed: str) -> set[str]:
    words = set(re.findall(r"[A-Za-z]{3,}", visible_text(html)))
    return words - {word for name in allowed for word in re.findall(r"[A-Za-z]{3,}", name)}


@pytest.fixture
def leader(regions):
    """Reads figures (the dashboard is in his menu) but may not open the case queue."""
    return make_user("bureau_leader", DEMO_COUNTY)


def test_a_refused_permission_is_a_chinese_page_in_the_layout(client, leader):
    client.force_login(leader)
    response = client.get("/cases/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="topbar"' in html and 'id="user-name"' in html  # the site header
    assert re.search(r'<nav class="nav"[^>]*>\s*<a href=', html)  # with his menu
    assert "无权访问" in html and "您没有执行此操作的权限" in html
    assert "请联系本单位的系统管理员" in html
    assert "Forbidden" not in html and "Permission" not in html
    assert not english_words(html, leader.username), english_words(html, leader.username)


def test_an_anonymous_refusal_offers_the_sign_in(db):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionError("denied"))
    html = response.content.decode()
    assert response.status_code == 403
    assert 'class="topbar"' in html and "无权访问" in html
    assert "/accounts/login/?next=/somewhere/" in html
    assert not english_words(html)


def test_a_refused_permission_is_one_warning_line_without_traceback(client, leader, caplog):
    client.force_login(leader)
    with caplog.at_level(logging.WARNING):
        assert client.get("/cases/").status_code == 403
    records = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert len(records) == 1, [r.getMessage() for r in records]
    (record,) = records
    assert record.levelno == logging.WARNING and record.name == "django.request"
    assert record.exc_info is None and record.exc_text is None
    assert record.getMessage() == "Forbidden (Permission denied): /cases/"


def test_the_csrf_failure_view_is_configured():
    assert django_settings.CSRF_FAILURE_VIEW == CSRF_VIEW


def test_an_anonymous_csrf_failure_is_the_chinese_csrf_page(db, settings, caplog):
    settings.CSRF_FAILURE_VIEW = CSRF_VIEW  # until settings.py names it (the test above)
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING):
        response = client.post(
            "/accounts/login/",
            {"username": "x", "password": "y"},
            HTTP_REFERER="http://testserver/accounts/login/",
        )
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="topbar"' in html  # the layout, without a user
    assert "请求未通过安全校验，请刷新页面后重试" in html
    assert 'href="http://testserver/accounts/login/"' in html  # back to the form
    assert "CSRF" not in visible_text(html) and "Forbidden" not in html
    assert not english_words(html)
    (record,) = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert record.levelno == logging.WARNING and record.exc_info is None


def test_a_csrf_failure_of_a_signed_in_user_keeps_his_header(db, settings, leader):
    settings.CSRF_FAILURE_VIEW = CSRF_VIEW
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    response = client.post("/accounts/logout/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'id="user-name"' in html and "请求未通过安全校验" in html
    assert "evil.example" not in html  # a foreign page is not offered as the way back


def test_the_api_keeps_its_json(client, leader):
    client.force_login(leader)
    response = client.get("/api/registry/households")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("path", "accept"), [("/api/registry/households", ""), ("/cases/", "application/json")]
)
def test_the_403_views_answer_json_to_the_api(db, path, accept):
    request = RequestFactory().post(path, HTTP_ACCEPT=accept)
    denied = permission_denied(request, PermissionError())
    assert denied.status_code == 403
    assert denied.headers["Content-Type"] == "application/json"
    assert json.loads(denied.content) == {
        "code": "forbidden",
        "message": "您没有执行此操作的权限。",
        "field": None,
    }
    failed = csrf_failure(request, reason="CSRF cookie not set.")
    assert failed.status_code == 403
    assert json.loads(failed.content)["code"] == "csrf_failed"
