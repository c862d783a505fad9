from datetime import date

import pytest

from minzheng.kit.ids import age_on
from minzheng.registry.models import Person
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    TOWNSHIP_B,
    first_village,
    make_household,
    make_user,
)


@pytest.fixture
def households(regions):
    a = make_household(first_village(TOWNSHIP_A), members=3)
    b = make_household(first_village(TOWNSHIP_B), members=2)
    Person.objects.filter(household=a).update(disability_grade=None)
    Person.objects.filter(pk=a.members.order_by("id").first().pk).update(disability_grade=2)
    return a, b


def test_home_counts_are_the_users_region(client, households):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    counts = client.get("/").context["counts"]
    # Township A: one household of three born on 1 March 1950, 1960 and 1970.
    today = date.today()
    elderly = sum(1 for year in (1950, 1960, 1970) if age_on(date(year, 3, 1), today) >= 60)
    assert counts == {
        "households": 1,
        "persons": 3,
        "elderly": elderly,
        "minors": 0,
        "disabled": 1,
    }


def test_county_sees_all_townships(client, households):
    client.force_login(make_user("county_approver", DEMO_COUNTY))
    response = client.get("/")
    assert (response.context["counts"]["households"], response.context["counts"]["persons"]) == (
        2,
        5,
    )
    body = response.content.decode()
    assert "桐庐县" in body and "区县审批" in body


def test_administrators_see_no_personal_figures(client, households):
    client.force_login(make_user("system_admin", DEMO_COUNTY))
    response = client.get("/")
    assert response.context["counts"] is None
    assert "不查阅个人信息" in response.content.decode()


def test_every_response_carries_a_strict_csp(client, db):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_home_chart_counts_persons_per_township_for_a_county_user(client, households):
    client.force_login(make_user("county_approver", DEMO_COUNTY))
    assert client.get("/").context["chart"] == {"labels": ["旧县街道", "横村镇"], "values": [3, 2]}


def test_home_chart_counts_per_village_for_a_township_user(client, households):
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    assert client.get("/").context["chart"] == {"labels": ["旧县村村委会"], "values": [3]}


def test_village_user_has_no_chart(client, households):
    client.force_login(make_user("village_worker", first_village(TOWNSHIP_A)))
    response = client.get("/")
    assert response.context["chart"] is None
    assert response.context["counts"]["persons"] == 3


def test_interface_is_chinese_whatever_the_browser_asks(client, db):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录民政综合平台" in body
    assert "Sign in to Minzheng" not in body


def test_a_signed_in_users_pages_are_never_stored_by_a_cache(client, regions):
    assert "Cache-Control" not in client.get("/accounts/login/").headers
    client.force_login(make_user("county_approver", DEMO_COUNTY))
    assert client.get("/").headers["Cache-Control"] == "no-store"
