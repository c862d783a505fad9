"""高龄津贴 免申即享 in a real browser: the county approver screens the registry, finds two
elders and confirms them in bulk; the county manager generates December's 高龄津贴 payroll and
finds both on it, paid from the month after the confirmation."""

from datetime import date

import pytest
from django.utils import timezone

from minzheng import demo
from minzheng.cases.models import Case
from minzheng.payments.models import Payroll
from minzheng.registry.models import Person
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import make_household

TODAY = date(2024, 11, 15)


@pytest.fixture
def site(page, live_server, transactional_regions, monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)  # also in the server thread
    village = demo.demo_region_for(5, demo.DEMO_COUNTY)
    elders = []
    for born in (date(1943, 1, 1), date(1934, 3, 1), date(1950, 5, 5)):
        person = make_household(village, members=1).members.get()
        Person.objects.filter(pk=person.pk).update(birth_date=born)
        elders.append(person)
    demo.create_demo_accounts()
    return page, live_server.url, elders


def as_user(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, demo.DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"automatic_{name}.png"), full_page=True)


def test_longevity_allowance_from_screening_to_the_first_payroll_line(site):
    page, base, (eighty_one, ninety, seventy_four) = site
    page.set_viewport_size({"width": 1366, "height": 900})
    as_user(page, base, "county_approver")
    page.click("nav a[href='/cases/automatic/']")
    page.wait_for_url(f"{base}/cases/automatic/")
    assert page.get_attribute("#proposals", "data-count") == "0"
    with page.expect_navigation():
        page.click("#screen-form button[type=submit]")
    assert "符合条件 2 人，新列入待确认名单 2 人" in page.inner_text(".messages")
    rows = page.locator("#proposal-table tbody tr")
    assert rows.count() == 2
    assert page.locator(f"tr[data-person='{seventy_four.pk}']").count() == 0
    shot(page, "proposed")
    page.check("#choose-all")
    with page.expect_navigation():
        page.click("#confirm-chosen")
    assert "已确认 2 人，从下月起发放。" in page.inner_text(".messages")
    assert page.get_attribute("#proposals", "data-count") == "0"
    shot(page, "confirmed")
    cases = Case.objects.filter(program="elderly").order_by("person_id")
    assert [(c.person_id, c.status, c.start_month) for c in cases] == [
        (eighty_one.pk, "approved", date(2024, 12, 1)),
        (ninety.pk, "approved", date(2024, 12, 1)),
    ]
    # the county manager prepares December's 高龄津贴 payroll: both elders are on it
    as_user(page, base, "county_admin")
    page.goto(f"{base}/payments/")
    page.select_option("#id_program", "elderly")
    page.fill("#id_month", "2024-12")
    page.click("#generate-form button[type=submit]")
    payroll = Payroll.objects.get(program="elderly")
    page.wait_for_url(f"{base}/payments/{payroll.pk}/")
    assert page.inner_text("#payroll-lines") == "2"
    assert page.inner_text("#payroll-total") == "300.00"
    shot(page, "payroll")
