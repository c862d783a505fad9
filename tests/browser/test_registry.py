"""The registry in a real browser: search, open, edit, add a member, transfer, reveal."""

from datetime import date

import pytest

from minzheng import demo
from minzheng.audit.models import AuditEvent
from minzheng.registry.models import Person
from tests.browser.conftest import sign_in
from tests.factories import make_household, make_id_number

NEW_ID = make_id_number(date(2012, 9, 1), "F")


@pytest.fixture
def clerk_page(page, live_server, transactional_regions):
    demo.create_demo_accounts()
    village = demo.demo_region_for(5, demo.DEMO_COUNTY)
    households = [make_household(village, members=2, address=f"幸福路{n}号") for n in (1, 2)]
    sign_in(page, live_server.url, "township_clerk", demo.DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    return page, live_server.url, households


def test_search_by_pinyin_and_open(clerk_page):
    page, base, (first, _second) = clerk_page
    head = first.members.get(relation="head")
    Person.objects.filter(pk=head.pk).update(
        name="欧阳明", name_pinyin="ouyangming", name_initials="oym"
    )
    page.goto(f"{base}/registry/households/")
    page.fill("input[name=q]", "oym")
    page.click("form.search button")
    page.wait_for_url(f"{base}/registry/households/?q=oym")  # count() does not wait
    rows = page.locator("#household-table tbody tr")
    assert rows.count() == 1
    rows.locator("a").click()
    assert page.inner_text("h1") == f"家庭 {first.number}"
    assert "欧阳明" in page.inner_text("#member-table")


def test_edit_add_member_transfer_and_reveal(clerk_page):
    page, base, (first, second) = clerk_page
    page.goto(f"{base}/registry/households/{first.pk}/")
    # add a member
    page.click("#add-member")
    page.fill("#id_id_number", NEW_ID)
    page.fill("#id_name", "张小雨")
    page.select_option("#id_relation", "child")
    page.select_option("#id_student_status", "primary")
    page.click("#person-form button[type=submit]")
    page.wait_for_url(f"{base}/registry/households/{first.pk}/")
    assert "张小雨" in page.inner_text("#member-table")
    child = Person.objects.get(name="张小雨")
    assert (child.sex, child.birth_date, child.student_status) == ("F", date(2012, 9, 1), "primary")
    # edit her
    page.locator(f"tr[data-person='{child.pk}'] a", has_text="编辑").click()
    page.fill("#id_phone", "13700001234")
    page.click("#person-form button[type=submit]")
    page.wait_for_url(f"{base}/registry/households/{first.pk}/")
    assert Person.objects.get(pk=child.pk).phone == "13700001234"
    # reveal her ID number: shown in place and audited once
    before = AuditEvent.objects.filter(action="person.revealed").count()
    page.locator(f"tr[data-person='{child.pk}'] button", has_text="查看完整").click()
    page.wait_for_selector(".revealed")
    assert page.inner_text(".revealed") == NEW_ID
    assert AuditEvent.objects.filter(action="person.revealed").count() == before + 1
    # transfer her to the second household
    page.locator(f"tr[data-person='{child.pk}'] a", has_text="迁户").click()
    page.fill("#id_to_household", second.number)
    page.select_option("#id_relation", "grandchild")
    page.fill("#id_reason", "随祖父母生活")
    page.click("#transfer-form button[type=submit]")
    page.wait_for_url(f"{base}/registry/households/{second.pk}/")
    assert "张小雨" in page.inner_text("#member-table")
    page.goto(f"{base}/registry/households/{first.pk}/timeline/")
    assert "person.transferred" in page.inner_text("#timeline-table")


def test_registering_a_duplicate_id_shows_the_chinese_error(clerk_page):
    page, base, (first, _second) = clerk_page
    existing = first.members.get(relation="head")
    page.goto(f"{base}/registry/households/{first.pk}/members/new/")
    page.fill("#id_id_number", existing.id_number)
    page.fill("#id_name", "重复")
    page.select_option("#id_relation", "child")
    page.click("#person-form button[type=submit]")
    assert f"该身份证号码已登记在户 {first.number}" in page.inner_text(".has-error .error")
    assert first.members.count() == 2
