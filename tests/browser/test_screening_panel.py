"""The "可享受政策" panel on the household page, in a real browser: loaded by htmx, every
program listed, the explanation opened."""

from decimal import Decimal

from minzheng import demo
from minzheng.registry.models import IncomeItem
from tests.browser.conftest import sign_in
from tests.factories import make_household


def test_panel_lists_programs_and_explains_them(page, live_server, transactional_regions):
    demo.create_demo_accounts()
    household = make_household(demo.demo_region_for(5, demo.DEMO_COUNTY), members=2)
    IncomeItem.objects.create(
        person=household.members.first(), category="wage", period="monthly", amount=Decimal("1000")
    )
    sign_in(page, live_server.url, "township_clerk", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/registry/households/{household.pk}/")
    page.wait_for_selector("#screening-table")
    dibao = page.locator("#screening-table tr[data-program='dibao']")
    cells = dibao.locator("td")
    assert [cells.nth(i).inner_text() for i in range(3)] == ["最低生活保障", "符合", "1,318.00"]
    assert page.locator("#screening-table tbody tr").count() == 10
    why = page.locator("details.explanation[data-program='dibao']")
    why.locator("summary").click()
    assert "低保标准" in why.inner_text() and "330122" in why.inner_text()
