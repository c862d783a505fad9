"""The demo resident on a phone (390 px wide): his refused application shows the decision, its
reasons, the notice link and the progress line of its steps, with nothing wider than the
screen."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from minzheng import demo
from minzheng.accounts.models import User
from minzheng.cases import online, services
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import make_household

PHONE = {"width": 390, "height": 844}
REASONS = "家庭月人均收入高于当地低保标准。"


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def refused_case(transactional_regions, monkeypatch):
    """The demo resident's 低保 application, taken by the demo staff through every step to a
    refusal, each step on its own day (its audit event dated that day)."""
    village = demo.demo_region_for(5, demo.DEMO_COUNTY)
    make_household(village, members=3)
    demo.create_demo_accounts()  # after the household: the demo resident is its head
    staff = {u.username: u for u in User.objects.exclude(username="resident")}
    resident = User.objects.get(username="resident")
    start = timezone.localdate() - timedelta(days=30)

    def on(days):
        day = start + timedelta(days=days)
        moment = timezone.make_aware(datetime.combine(day, time(10)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return day

    case = online.apply_online(resident, "dibao", on(0))
    clerk = staff["township_clerk"]
    for person in case.household.members.all():
        services.record_consent(clerk, case.pk, on(1), person_id=person.pk)
    steps = [
        (clerk, "accept", 1, {}),
        (clerk, "investigate", 3, {"visited_on": start + timedelta(days=3), "visitors": "李四",
                                   "findings": "属实"}),
        (staff["township_reviewer"], "review", 5, {"opinion": "同意", "reasons": "符合条件"}),
        (clerk, "publicise", 6, {}),
        (clerk, "close_publicity", 20, {}),
        (staff["county_approver"], "reject", 22, {"reason": REASONS}),
    ]  # fmt: skip
    for actor, action, days, data in steps:
        case = services.perform(actor, case.pk, action, case.version, on(days), **data)
    monkeypatch.undo()  # the live server reads the real clock
    return case


def test_the_resident_reads_his_refused_application_on_a_phone(phone, live_server, refused_case):
    sign_in(phone, live_server.url, "resident", demo.DEMO_PASSWORD)
    phone.wait_for_url(f"{live_server.url}/me/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.click(f"a[href='/me/cases/{refused_case.pk}/']")
    phone.wait_for_url(f"{live_server.url}/me/cases/{refused_case.pk}/")
    assert phone.inner_text("#decision-outcome") == "不予批准"
    assert phone.inner_text("#decision-reasons") == REASONS
    assert phone.is_visible("#progress")
    labels = phone.locator("#progress .stage-label").all_inner_texts()
    assert labels == ["提交申请", "受理", "调查", "审核", "公示", "审批", "决定"]
    assert phone.locator("#progress .stage.done").count() == 7
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.click("#notice-link")
    phone.wait_for_url(f"{live_server.url}/me/cases/{refused_case.pk}/notice/")
    assert REASONS in phone.inner_text("#notice-reasons")
    phone.click("#back-to-application")
    phone.wait_for_url(f"{live_server.url}/me/cases/{refused_case.pk}/")
