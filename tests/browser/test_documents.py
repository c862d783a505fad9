"""Documents in a real browser: the township clerk issues and prints a village's 公示 list and
a case's 核对 authorisation form, numbered and dated, in Chinese. Screenshots of the printed
forms go to test-artifacts/."""

from datetime import date

import pytest
from django.utils import timezone

from minzheng import demo
from minzheng.accounts.models import User
from minzheng.documents.models import Document
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.documents.conftest import publicised
from tests.factories import make_household

TODAY = date(2024, 10, 12)  # the case is under public notice from 10 to 17 October


@pytest.fixture
def site(page, live_server, transactional_regions, monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)  # also in the server thread
    household = make_household(demo.demo_region_for(5, demo.DEMO_COUNTY), members=2)
    demo.create_demo_accounts()
    roles = ("village_worker", "township_clerk", "township_reviewer")
    case = publicised({r: User.objects.get(username=r) for r in roles}, household)
    sign_in(page, live_server.url, "township_clerk", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    return page, live_server.url, household, case


def printed(page, name: str) -> None:
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"documents_{name}.png"), full_page=True)
    page.emulate_media(media="screen")


def test_the_clerk_prints_the_publicity_list_and_the_authorisation_form(site):
    page, base, household, case = site
    page.click("nav a[href='/documents/']")
    page.select_option("#id_village", household.region_id)
    page.click("#publicity-form button[type=submit]")
    document = Document.objects.get(kind="publicity")
    page.wait_for_url(f"{base}/documents/{document.pk}/")
    assert page.inner_text("#document-number") == "民公〔2024〕330122-00001号"
    assert page.inner_text("#document-title") == "旧县街道旧县村村委会社会救助公示名单"
    assert page.inner_text("#document-date") == "2024年10月12日"
    rows = page.locator("#publicity-table tbody tr")
    assert rows.count() == 1
    head = household.members.get(relation="head")
    assert head.name not in page.inner_text("#publicity-table")
    printed(page, "publicity")

    page.goto(f"{base}/cases/{case.pk}/")
    page.click("#consent-form-issue button")
    form = Document.objects.get(kind="consent")
    page.wait_for_url(f"{base}/documents/{form.pk}/")
    assert page.inner_text("#document-number") == "民核〔2024〕330122-00001号"
    assert page.locator("#consent-table tbody tr").count() == 2
    assert head.id_number not in page.content()
    printed(page, "consent_form")
    page.goto(f"{base}/cases/{case.pk}/")
    assert "民核〔2024〕330122-00001号" in page.inner_text("#case-documents")
