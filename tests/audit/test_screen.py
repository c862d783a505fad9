import csv
import io

import pytest
from openpyxl import load_workbook

from minzheng.accounts.events import Event as AccountEvent
from minzheng.audit.actions import label_of
from minzheng.audit.models import AuditEvent
from minzheng.audit.services import record
from tests.factories import DEMO_COUNTY, make_user


@pytest.fixture
def auditor(regions):
    return make_user("audit_admin", DEMO_COUNTY, username="auditor")


@pytest.mark.parametrize(
    ("role", "back_office_status"),
    [
        ("system_admin", 403),
        ("security_admin", 403),
        ("county_admin", 403),
        ("county_approver", 302),
    ],  # not staff: the back office sends him to sign in
)
def test_only_the_audit_administrator_reads_the_log(client, regions, role, back_office_status):
    user = make_user(role, DEMO_COUNTY)
    client.force_login(user)
    before = AuditEvent.objects.count()
    for url in ["/audit/", "/audit/export.csv"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "只有审计管理员可以查看审计日志" in response.content.decode()
    assert client.get("/admin/audit/auditevent/").status_code == back_office_status
    denied = AuditEvent.objects.filter(seq__gt=before, action="audit.access_denied")
    assert denied.count() == 2  # the two audit screens; the back office refuses by itself
    assert (
        AuditEvent.objects.filter(seq__gt=before).exclude(action="audit.access_denied").count() == 0
    )


def test_audit_admin_filters_events(client, auditor):
    record("household.changed", object_type="household", object_id=5, region_code="330122002001")
    record("household.changed", object_type="household", object_id=6, region_code="330127001001")
    client.force_login(auditor)
    page = client.get("/audit/", {"action": "household.", "region_code": "330122"})
    assert page.status_code == 200
    rows = page.context["page"].object_list
    assert [(e.object_id, e.region_code) for e in rows] == [("5", "330122002001")]


def test_export_csv_and_xlsx_have_chinese_headers_and_the_filtered_rows(client, auditor):
    record("person.revealed", object_type="person", object_id=9, region_code="330122002001")
    client.force_login(auditor)
    response = client.get("/audit/export.csv", {"action": "person.revealed"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["序号", "时间", "操作人", "操作", "操作说明"]
    label = label_of("person.revealed")
    assert label != "person.revealed"  # registry declares it with its Chinese label
    assert [(r[3], r[4], r[6]) for r in rows[1:]] == [("person.revealed", label, "9")]
    response = client.get("/audit/export.xlsx", {"action": "person.revealed"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "序号" and [(v[3], v[4], v[6]) for v in values[1:]] == [
        ("person.revealed", label, "9")
    ]
    assert AuditEvent.objects.filter(action="audit.exported").count() == 2


def test_the_screen_shows_each_action_by_its_chinese_label(client, auditor):
    record(AccountEvent.ACCOUNT_LOCKED, object_type="user", object_id="someone")
    client.force_login(auditor)
    page = client.get("/audit/", {"action": "account.locked"})
    assert [e.label for e in page.context["page"].object_list] == ["账号因连续登录失败被锁定"]
    assert '<td title="account.locked">账号因连续登录失败被锁定</td>' in page.content.decode()


def test_a_username_typed_as_a_formula_at_sign_in_is_exported_as_text(client, auditor):
    """Without signing in, anyone can put text into the audit log: the export must not run it."""
    typed = '=HYPERLINK("http://evil.example","审计")'
    response = client.post("/accounts/login/", {"username": typed, "password": "x"})
    assert response.status_code == 401
    client.force_login(auditor)
    response = client.get("/audit/export.csv", {"action": "login.failed"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[6] for r in rows[1:]] == ["'" + typed]
    response = client.get("/audit/export.xlsx", {"action": "login.failed"})
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [v[6] for v in values[1:]] == ["'" + typed]
