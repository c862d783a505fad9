"""The payroll summary (社会救助资金发放汇总表): issued by the county from a released payroll,
its money by township with the totals; refused, with nothing issued, before the release or to
whoever may not read the funds."""

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.documents.models import Document
from minzheng.kit.errors import Conflict, Forbidden, NotFound
from minzheng.payments.summary import issue_payroll_summary
from minzheng.regions.models import Region
from tests.factories import TOWNSHIP_B, first_village, make_household, make_user
from tests.payments.conftest import (  # noqa: F401 - fixtures
    NOVEMBER,
    approved,
    generate,
    paid_household,
    pay,
    staff,
    with_account,
)

TODAY = NOVEMBER.replace(day=8)


@pytest.fixture
def two_townships(staff, paid_household):  # noqa: F811
    other = make_household(first_village(TOWNSHIP_B), members=1)
    with_account(other.members.get())
    approved(other, amount_fen=61000, created_by=staff["clerk"])
    return paid_household


def test_the_county_issues_the_summary_of_a_released_payroll(staff, two_townships):  # noqa: F811
    payroll = pay(staff)
    document = issue_payroll_summary(staff["maker"], payroll.pk, TODAY)
    assert (document.kind, document.number, document.county) == (
        "payroll_summary",
        "民发〔2024〕330122-00001号",  # the first of the county and year
        "330122000000",
    )
    payload = document.payload
    assert [
        (r["name"], r["payees"], r["amount_fen"], r["held_payees"]) for r in payload["rows"]
    ] == [
        ("旧县街道", 1, "900.00", 0),
        ("横村镇", 1, "610.00", 0),
    ]
    assert (payload["total"]["payees"], payload["total"]["amount_fen"]) == (2, "1,510.00")
    assert (payload["program"], payload["month"]) == ("最低生活保障", "2024-11-01")
    event = AuditEvent.objects.get(action="document.issued")
    assert (event.actor_id, event.object_id) == (staff["maker"].pk, str(document.pk))


def test_a_draft_payroll_has_no_summary(staff, two_townships):  # noqa: F811
    payroll = generate(staff)
    with pytest.raises(Conflict, match="审批发放后"):
        issue_payroll_summary(staff["maker"], payroll.pk, TODAY)
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="document.issued").exists()


@pytest.mark.parametrize(
    ("role", "region", "error"),
    [
        ("township_clerk", "330122002000", Forbidden),  # a township reads no funds
        ("county_admin", "330127000000", NotFound),  # another county's manager
    ],
)
def test_who_may_not_read_the_funds_gets_no_summary(staff, two_townships, role, region, error):  # noqa: F811
    Region.objects.get_or_create(
        code="330127000000", defaults={"name": "淳安县", "level": 3, "parent_id": "330100000000"}
    )
    payroll = pay(staff)
    with pytest.raises(error):
        issue_payroll_summary(make_user(role, region), payroll.pk, TODAY)
    assert not Document.objects.exists()


def test_the_screen_issues_and_prints_it(client, staff, two_townships):  # noqa: F811
    payroll = pay(staff)
    client.force_login(staff["checker"])
    page = client.get(f"/payments/{payroll.pk}/")
    assert b"issue-payroll-summary" in page.content
    response = client.post(f"/documents/payrolls/{payroll.pk}/summary/")
    document = Document.objects.get()
    assert response.status_code == 302 and response.url == f"/documents/{document.pk}/"
    printed = client.get(response.url).content.decode()
    assert "社会救助资金发放汇总表" in printed and "1,510.00" in printed and "横村镇" in printed
