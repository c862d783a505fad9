"""Monitoring in a real browser, signed in as the demo accounts: a death record from the 公安 file
to a closed warning and a stopped 低保 case."""

from datetime import date

import pytest
from django.utils import timezone

from minzheng import demo
from minzheng.accounts.models import User
from minzheng.cases.models import Case, Status
from minzheng.monitoring.models import FeedFile, Warning
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import make_household
from tests.monitoring.conftest import approve_dibao

# A fixed day for the screens: deadlines count working days on the State Council's holiday
# calendar, which chinesecalendar only has up to 2026, so a real "today" cannot be relied on.
TODAY = date(2024, 11, 4)  # a Monday


@pytest.fixture
def site(page, live_server, transactional_regions, monkeypatch):
    """A one-person household receiving 低保, approved through the real case steps."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)  # also in the server thread
    household = make_household(demo.demo_region_for(5, demo.DEMO_COUNTY), members=1)
    demo.create_demo_accounts()
    roles = ("village_worker", "township_clerk", "township_reviewer", "county_approver")
    case = approve_dibao({r: User.objects.get(username=r) for r in roles}, household)
    assert case.status == Status.APPROVED
    return page, live_server.url, household, case


def as_user(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, demo.DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")


def shot(page, name: str) -> None:
    """A screenshot of an intermediate screen, next to the one the `page` fixture takes."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"monitoring_{name}.png"), full_page=True)


def no_error(page) -> None:
    assert page.locator(".alert-error").count() == 0, page.inner_text("main")


def test_a_death_record_closes_its_warning_and_stops_the_case(site):
    page, base, household, case = site
    head = household.members.get()
    # the county receives the 公安 deaths file and recomputes the period
    as_user(page, base, "county_admin")
    page.click("nav a[href='/monitoring/feeds/']")
    page.wait_for_url(f"{base}/monitoring/feeds/")
    page.select_option("#id_feed", "deaths")
    page.fill("#id_period", "2024-10")
    content = f"身份证号,姓名,死亡日期\n{head.id_number},{head.name},2024-10-12\n"
    page.set_input_files(
        "#id_file",
        files=[{"name": "deaths_2024-10.csv", "mimeType": "text/csv", "buffer": content.encode()}],
    )
    page.click("#upload-form button[type=submit]")
    file = FeedFile.objects.get()
    page.wait_for_url(f"{base}/monitoring/feeds/{file.pk}/")
    no_error(page)
    counts = {
        kind: page.inner_text(f"#file-counts [data-count='{kind}']")
        for kind in ("total", "matched", "review", "unmatched", "invalid")
    }
    assert counts == {"total": "1", "matched": "1", "review": "0", "unmatched": "0", "invalid": "0"}
    shot(page, "file_report")
    page.click("button#recompute")
    page.wait_for_url(f"{base}/monitoring/feeds/")
    no_error(page)
    warning = Warning.objects.get(indicator="recipient_died")
    assert (warning.person_id, warning.status, warning.severity) == (head.pk, "open", "red")
    # the township finds it in its inbox and records the visit
    as_user(page, base, "township_clerk")
    page.goto(f"{base}/monitoring/warnings/")
    row = page.locator(f"#warning-table tr[data-warning='{warning.pk}']")
    assert "救助对象死亡" in row.inner_text() and head.name in row.inner_text()
    assert row.locator(".severity").inner_text() == "红"
    shot(page, "inbox")
    row.locator("a").click()
    page.wait_for_url(f"{base}/monitoring/warnings/{warning.pk}/")
    assert page.inner_text("#warning-indicator") == "救助对象死亡"
    assert "2024-10-12" in page.inner_text("#warning-detail-table")
    assert head.id_number not in page.content()
    assert page.input_value("#id_visit-visited_on") == "2024-11-04"
    page.fill("#id_visit-note", "村委会和家属确认已于10月12日去世")
    page.click("#warning-visit button[type=submit]")
    page.wait_for_load_state()
    no_error(page)
    assert page.get_attribute("#warning-status", "data-status") == "verified"
    # the county approver confirms the death: 排除, which ends the 低保
    as_user(page, base, "county_approver")
    page.goto(f"{base}/monitoring/warnings/{warning.pk}/")
    page.select_option("#id_close-outcome", "exclude")
    page.fill("#id_close-reason", "公安死亡登记，入户核实属实，终止救助")
    shot(page, "closing")
    page.click("#warning-close button[type=submit]")
    page.wait_for_load_state()
    no_error(page)
    assert page.get_attribute("#warning-status", "data-status") == "closed"
    assert page.get_attribute("#warning-outcome", "data-outcome") == "exclude"
    warning.refresh_from_db()
    case.refresh_from_db()
    head.refresh_from_db()
    assert (warning.status, warning.outcome) == ("closed", "exclude")
    assert (case.status, case.ended_on, case.decision_reason) == (
        Status.ENDED,
        date(2024, 10, 12),
        "死亡",
    )
    assert head.died_on == date(2024, 10, 12)
    assert Case.objects.filter(household=household, status=Status.APPROVED).count() == 0
