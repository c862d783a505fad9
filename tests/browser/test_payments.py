"""A payroll month in a real browser, signed in as the demo accounts: the county manager
generates November's 低保 payroll, holds the line whose payee has no bank account and submits;
the county approver approves; the manager creates the bank batch, downloads its file and
imports the bank's returns."""

from datetime import date

import pytest
from django.utils import timezone

from minzheng import demo
from minzheng.accounts.models import User
from minzheng.payments.models import Line, Payroll
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import make_household
from tests.monitoring.conftest import approve_dibao
from tests.payments.conftest import card, with_account

TODAY = date(2024, 11, 4)  # a Monday: November's payroll, the cases approved in October


@pytest.fixture
def site(page, live_server, transactional_regions, monkeypatch):
    """Two one-person households receiving 低保 from November, approved through the real case
    steps; only the first payee has a bank card."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)  # also in the server thread
    village = demo.demo_region_for(5, demo.DEMO_COUNTY)
    households = [make_household(village, members=1) for _ in range(2)]
    demo.create_demo_accounts()
    roles = ("village_worker", "township_clerk", "township_reviewer", "county_approver")
    people = {r: User.objects.get(username=r) for r in roles}
    cases = [approve_dibao(people, household) for household in households]
    with_account(households[0].members.get(), 11)
    return page, live_server.url, cases


def as_user(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, demo.DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"payments_{name}.png"), full_page=True)


def no_error(page) -> None:
    assert page.locator(".alert-error").count() == 0, page.inner_text("main")


def click_and_wait(page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state()
    no_error(page)


def test_a_payroll_month_from_generation_to_the_banks_returns(site, tmp_path):
    page, base, (paid, unpaid) = site
    # the county manager generates November's 低保 payroll
    as_user(page, base, "county_admin")
    page.click("nav a[href='/payments/']")
    page.wait_for_url(f"{base}/payments/")
    page.select_option("#id_program", "dibao")
    page.fill("#id_month", "2024-11")
    click_and_wait(page, "#generate-form button[type=submit]")
    payroll = Payroll.objects.get()
    page.wait_for_url(f"{base}/payments/{payroll.pk}/")
    assert page.get_attribute("#payroll-status", "data-status") == "draft"
    assert page.inner_text("#payroll-lines") == "2"
    assert page.inner_text("#payroll-total") == "2,318.00"
    assert page.inner_text("#check-report [data-check='account'] .value") == "1/1"
    finding = page.locator("#findings .finding[data-check='account']")
    assert "无银行账号" in finding.inner_text()
    shot(page, "generated")
    # the line without an account is held; the payroll goes to the approver
    flag = payroll.lines.get(case=unpaid).flags.get()
    page.select_option(f"#id_flag{flag.pk}-resolution", "hold")
    page.fill(f"#id_flag{flag.pk}-note", "无银行账户，待村委会协助开户后补发")
    click_and_wait(page, f"#flag-{flag.pk} button[type=submit]")
    assert page.inner_text("#payroll-open") == "0"
    assert page.inner_text("#check-report [data-check='account'] .value") == "0/1"
    click_and_wait(page, "#action-submit button[type=submit]")
    assert page.get_attribute("#payroll-status", "data-status") == "submitted"
    assert page.locator("#action-approve").count() == 0  # the maker cannot approve
    # the county approver approves: the payroll is released and locked
    as_user(page, base, "county_approver")
    page.goto(f"{base}/payments/{payroll.pk}/")
    shot(page, "to_approve")
    click_and_wait(page, "#action-approve button[type=submit]")
    assert page.get_attribute("#payroll-status", "data-status") == "released"
    assert page.locator("#action-generate").count() == 0
    # the manager creates the bank batch and downloads its file
    as_user(page, base, "county_admin")
    page.goto(f"{base}/payments/{payroll.pk}/")
    click_and_wait(page, "#action-batch button[type=submit]")
    with page.expect_download() as download:
        page.click("#download-1-csv")
    saved = tmp_path / "batch.csv"
    download.value.save_as(saved)
    rows = saved.read_text(encoding="utf-8-sig").splitlines()
    line = Line.objects.get(case=paid)
    assert rows[:3] == [f"批次,{payroll.number}-1", "总笔数,1", "总金额（元）,1159.00"]
    assert rows[4].split(",")[1:4] == [
        f"P{payroll.pk}-{line.pk}-1",
        line.beneficiary.name,
        card(11),
    ]
    # the bank returns the payment: the account was closed
    returns = (
        f"流水号,金额（元）,状态,失败原因\nP{payroll.pk}-{line.pk}-1,1159.00,失败,账户已销户\n"
    )
    page.set_input_files(
        "#id_file",
        files=[{"name": "回盘.csv", "mimeType": "text/csv", "buffer": returns.encode()}],
    )
    click_and_wait(page, "#returns-form button[type=submit]")
    assert page.inner_text("#return-count") == "1"
    assert page.inner_text("#return-total") == "1,159.00"
    shot(page, "returns")
    page.goto(f"{base}/payments/{payroll.pk}/")
    assert "已发放 0.00 元" in page.inner_text("#reconciliation")
    assert page.inner_text("#batch-table [data-batch='1'] td:nth-child(4)") == "1"
    line.refresh_from_db()
    assert (line.status, line.returned_reason) == ("returned", "账户已销户")
    # the funds overview shows November's returned and held amounts
    page.click("#funds-link")
    page.wait_for_url(f"{base}/payments/funds/")
    row = page.locator("#funds-table tbody tr").first
    assert [c.inner_text() for c in row.locator("td").all()][3:] == [
        "0.00",
        "0.00",
        "1159.00",
        "1159.00",
        "0.00",
    ]
