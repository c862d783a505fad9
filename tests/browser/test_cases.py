"""Cases in a real browser, signed in as the demo accounts: a 低保 case from the resident's online
application to approval, its notice and first 复核; a 临时救助 case granted first (先行救助) whose
paperwork is completed afterwards."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from minzheng import demo
from minzheng.cases.models import Case, Status
from minzheng.kit.masking import mask_name
from minzheng.registry.models import IncomeItem
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import give_period, make_household

# A fixed day for the screens: deadlines count working days on the State Council's holiday
# calendar, which chinesecalendar only has up to 2026, so a real "today" cannot be relied on.
TODAY = date(2024, 10, 21)  # a Monday


@pytest.fixture
def site(page, live_server, transactional_regions, monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)  # also in the server thread
    household = make_household(demo.demo_region_for(5, demo.DEMO_COUNTY), members=2)
    demo.create_demo_accounts()  # after the household: the demo resident is its head
    for index, person in enumerate(household.members.order_by("id")):
        person.birth_date = date(1980 + 10 * index, 3, 1)
        person.save(update_fields=["birth_date"])
    IncomeItem.objects.create(
        person=household.members.first(), category="wage", period="monthly", amount=Decimal("1000")
    )
    return page, live_server.url, household


def as_user(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, demo.DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")


def take(page, action: str, **fields) -> None:
    """Fill one step form of the case page and submit it; the page comes back without error."""
    for name, value in fields.items():
        page.fill(f"#id_{action}-{name}", value)
    page.click(f"#step-{action} button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".alert-error").count() == 0, page.inner_text("main")


def shot(page, name: str) -> None:
    """A screenshot of an intermediate screen, next to the one the `page` fixture takes."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"cases_{name}.png"), full_page=True)


def status_of(page) -> str:
    return page.get_attribute("#case-status", "data-status")


def consent_everyone(page) -> None:
    while page.locator("#consent-form").count():
        page.select_option("#id_who", index=0)
        page.click("#consent-form button[type=submit]")
        page.wait_for_load_state()
    assert page.locator(".alert-error").count() == 0


def apply_from_household(page, base: str, household, program: str) -> Case:
    page.goto(f"{base}/registry/households/{household.pk}/")
    page.wait_for_selector("#case-panel")  # the household's cases, loaded by htmx
    page.click("#apply-case")
    page.select_option("#id_program", program)
    page.click("#apply-form button[type=submit]")
    page.wait_for_selector("#case-number")
    case = Case.objects.get(household=household, program=program)
    assert page.url == f"{base}/cases/{case.pk}/"
    return case


def test_a_dibao_case_from_application_to_first_review(site):
    page, base, household = site
    # the resident (head of the household) applies online and gives his own authorisation
    page.context.clear_cookies()
    sign_in(page, base, "resident", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{base}/me/")
    page.select_option("#id_program", "dibao")
    page.click("#online-apply-form button[type=submit]")
    page.wait_for_url(f"{base}/me/")
    case = Case.objects.get(household=household, program="dibao")
    assert (case.channel, case.status) == ("online", Status.SUBMITTED)
    page.click(f"#my-cases tr[data-case='{case.pk}'] button")
    page.wait_for_url(f"{base}/me/")
    assert "已授权" in page.inner_text(f"#my-cases tr[data-case='{case.pk}']")
    shot(page, "resident")
    # the township clerk accepts, records both consents and the home visit
    as_user(page, base, "township_clerk")
    page.goto(f"{base}/cases/")
    page.click(f"#queue-accept tr[data-case='{case.pk}'] a")
    take(page, "accept")
    assert status_of(page) == Status.ACCEPTED
    consent_everyone(page)
    take(page, "investigate", visitors="李四、王五", findings="家庭收入属实")
    assert status_of(page) == Status.INVESTIGATED
    assert "1,318.00" in page.inner_text("#evaluation-table tr.own")
    shot(page, "investigated")
    # the township reviewer gives the opinion, from the queue
    as_user(page, base, "township_reviewer")
    page.goto(f"{base}/cases/")
    page.click(f"#queue-review tr[data-case='{case.pk}'] a")
    page.select_option("#id_review-opinion", "同意")
    take(page, "review", reasons="同意纳入低保")
    # the clerk publicises: the village notice shows the masked row, never the name
    as_user(page, base, "township_clerk")
    page.goto(f"{base}/cases/{case.pk}/")
    take(page, "publicise")
    assert status_of(page) == Status.PUBLICISED
    head = household.members.get(relation="head")
    public = page.context.browser.new_context(locale="zh-CN").new_page()  # nobody signed in
    public.goto(f"{base}/public/notices/{household.region_id}/")
    row = public.inner_text("#public-table tbody")
    assert mask_name(head.name) in row and "1,318.00" in row and head.name not in row
    shot(public, "public_notice")
    public.context.close()
    # Seven days of notice cannot pass in a test: move its end to yesterday in the database.
    give_period(case, "publicity", TODAY - timedelta(days=1), notice=True)
    page.goto(f"{base}/cases/{case.pk}/")
    take(page, "close_publicity")
    assert status_of(page) == Status.AWAITING
    # the county approves with the amount in yuan and the notice shows number and amount
    as_user(page, base, "county_approver")
    page.goto(f"{base}/cases/")
    page.click(f"#queue-approve tr[data-case='{case.pk}'] a")
    shot(page, "awaiting_decision")
    take(page, "approve", amount="1318.00")
    assert status_of(page) == Status.APPROVED
    case.refresh_from_db()
    page.click("#notice-link")
    assert page.inner_text("#notice-number") == case.notice_number
    assert page.inner_text("#notice-amount") == "1,318.00"
    assert page.inner_text("#notice-head") == head.name
    shot(page, "decision_notice")
    # the first 复核: brought forward in the database so that it is due now
    Case.objects.filter(pk=case.pk).update(next_review_on=TODAY)
    as_user(page, base, "township_clerk")
    page.goto(f"{base}/cases/")
    page.click(f"#queue-recheck tr[data-case='{case.pk}'] a")
    page.select_option("#id_recheck-outcome", "unchanged")
    take(page, "recheck", note="收入无变化")
    assert "收入无变化" in page.inner_text("#review-table")
    assert Case.objects.get(pk=case.pk).next_review_on == date(2025, 10, 1)
    # the household's history shows the case's events
    page.goto(f"{base}/registry/households/{household.pk}/timeline/")
    history = page.inner_text("#timeline-table")
    for action in ("case.submitted", "case.accept", "case.approve", "case.recheck"):
        assert action in history


def test_temporary_aid_first_then_paperwork(site):
    page, base, household = site
    as_user(page, base, "township_clerk")
    case = apply_from_household(page, base, household, "temporary")
    take(page, "grant_emergency", amount="2000")
    assert status_of(page) == Status.APPROVED
    assert page.inner_text("#case-amount") == "2,000.00"
    page.goto(f"{base}/cases/")
    assert page.get_attribute("#queue-paperwork", "data-count") == "1"
    shot(page, "queue_paperwork")
    page.click(f"#queue-paperwork tr[data-case='{case.pk}'] a")
    consent_everyone(page)
    take(page, "complete_paperwork", visitors="李四", findings="火灾属实")
    assert Case.objects.get(pk=case.pk).paperwork_done_on == TODAY
    assert "2024-10-21" in page.inner_text("#case-paperwork")
    page.goto(f"{base}/cases/")
    assert page.get_attribute("#queue-paperwork", "data-count") == "0"
