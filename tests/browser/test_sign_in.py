import time

import pytest

from minzheng import demo
from minzheng.accounts.roles import ROLES
from minzheng.regions.models import Region
from minzheng.registry.models import Household
from tests.browser.conftest import sign_in
from tests.factories import make_household


@pytest.fixture
def demo_site(transactional_regions):
    village = demo.demo_region_for(5, demo.DEMO_COUNTY)
    make_household(village, members=3)
    demo.create_demo_accounts()  # after the household: the demo resident is its head
    return village


STAFF = [a for a in demo.DEMO_ACCOUNTS if a.role != "resident"]


@pytest.mark.parametrize("account", STAFF, ids=lambda a: a.username)
def test_each_demo_role_signs_in_and_sees_home_for_its_region(
    page, live_server, demo_site, account
):
    sign_in(page, live_server.url, account.username, demo.DEMO_PASSWORD)
    region = Region.objects.get(code=demo.demo_region_for(account.level, demo.DEMO_COUNTY))
    if "registry.view_household" not in ROLES[account.role].permissions and not (
        ROLES[account.role].administrator
    ):  # a leader or a target owner reads figures: he lands on his region's dashboard
        page.wait_for_url(f"{live_server.url}/dashboards/")
        assert page.inner_text("#dashboard-region") == region.name
        return
    page.wait_for_url(f"{live_server.url}/")
    assert page.inner_text("#home-region") == region.name
    assert page.inner_text("#user-roles") == str(ROLES[account.role].label)
    if ROLES[account.role].administrator:
        assert page.is_visible("#home-admin-note")
    else:
        # every business role's region contains the demo household of three
        assert page.inner_text("#count-households") == "1"
        assert page.inner_text("#count-persons") == "3"


def test_the_demo_resident_lands_on_his_own_applications(page, live_server, demo_site):
    sign_in(page, live_server.url, "resident", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/me/")
    household = Household.objects.get(region_id=demo_site)
    assert household.number in page.inner_text("main")
    assert [a.inner_text() for a in page.locator("nav a").all()] == ["首页", "我的申请"]


def test_system_administrator_is_refused_the_audit_screen(page, live_server, demo_site):
    sign_in(page, live_server.url, "sysadmin", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("nav a", has_text="审计日志").count() == 0
    response = page.goto(f"{live_server.url}/audit/")
    assert response.status == 403
    assert page.inner_text("#error-message") == "只有审计管理员可以查看审计日志。"


def test_audit_administrator_reads_the_log(page, live_server, demo_site):
    sign_in(page, live_server.url, "auditadmin", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.click("nav a:has-text('审计日志')")
    page.wait_for_url(f"{live_server.url}/audit/")
    first_row = page.locator("#audit-table tbody tr").first
    assert "登录成功" in first_row.inner_text()  # the action's Chinese label (login.succeeded)
    assert first_row.locator("td").nth(3).get_attribute("title") == "login.succeeded"
    assert "auditadmin" in first_row.inner_text()


def test_lockout_after_five_failures(page, live_server, demo_site):
    for _ in range(5):
        sign_in(page, live_server.url, "county_approver", "Wrong-Passw0rd")
        page.wait_for_selector(".alert-error")
    assert "连续5次登录失败，账号已被锁定15分钟" in page.inner_text(".alert-error")
    sign_in(page, live_server.url, "county_approver", demo.DEMO_PASSWORD)
    assert "账号因多次登录失败已被锁定" in page.inner_text(".alert-error")
    assert page.url.endswith("/accounts/login/")


def test_idle_timeout_signs_out(page, live_server, demo_site, settings):
    settings.IDLE_TIMEOUT_SECONDS = 2
    sign_in(page, live_server.url, "township_clerk", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    time.sleep(3)
    page.goto(f"{live_server.url}/registry/households/")
    assert page.url == f"{live_server.url}/accounts/login/?next=/registry/households/"
    assert "为保护数据安全已自动退出" in page.inner_text(".messages")


def test_reveal_shows_the_full_id_number_in_place(page, live_server, demo_site):
    sign_in(page, live_server.url, "township_clerk", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.click("nav a:has-text('对象库')")
    page.click("#household-table tbody a")
    cell = page.locator("#member-table tbody tr").first.locator("td").nth(4)
    masked = cell.locator("span").inner_text()
    assert "********" in masked
    cell.locator("button", has_text="查看完整").click()
    page.wait_for_selector(".revealed")
    revealed = page.inner_text(".revealed")
    assert len(revealed) == 18 and revealed[:6] == masked[:6] and revealed[-4:] == masked[-4:]


def test_home_chart_renders_under_the_strict_csp(page, live_server, demo_site):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, live_server.url, "county_approver", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_selector("#subregion-chart[data-ready=true] canvas")
    assert violations == []
