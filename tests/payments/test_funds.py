"""资金监管: paid, pending, returned, held and recovered by program, region and month."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from minzheng.payments import banking, funds, recoveries, returns, services
from minzheng.payments.models import Flag
from minzheng.regions.models import Region
from tests.factories import CITY, TOWNSHIP_A, TOWNSHIP_B, first_village, make_household, make_user
from tests.payments.conftest import DECEMBER, approved, generate, release, with_account


def _household(township, account=True):
    household = make_household(first_village(township), members=2)
    if account:
        with_account(household.members.get(relation="head"))
    return household


@pytest.fixture
def two_months(staff):
    """November released (A returned by the bank, B paid, C held: no account); December a
    draft; 100 yuan recovered in December in township A."""
    a = approved(_household(TOWNSHIP_A), created_by=staff["clerk"])
    approved(_household(TOWNSHIP_B), amount_fen=50000, created_by=staff["clerk"])
    c_household = _household(TOWNSHIP_A, account=False)
    approved(c_household, amount_fen=70000, created_by=staff["clerk"])
    november = generate(staff)
    flag = Flag.objects.get(line__payroll=november)
    services.resolve_flag(staff["maker"], flag.pk, "hold", "待补录账户")
    november = release(staff, november.__class__.objects.get(pk=november.pk))
    banking.create_batch(staff["maker"], november.pk)
    line = november.lines.get(case=a)
    content = f"流水号,金额（元）\nP{november.pk}-{line.pk}-1,900.00\n".encode()
    returns.receive(staff["maker"], november.pk, "r.csv", content)
    generate(staff, DECEMBER)
    recovery = recoveries.register(
        staff["maker"], line.beneficiary_id, "overpayment", 20000, "多发", case_id=a.pk
    )
    recoveries.repay(
        staff["maker"], recovery.pk, recovery.version, 10000, "cash", date(2024, 12, 5)
    )


def _row(row: funds.Row) -> tuple:
    return (
        row.program,
        row.region_code,
        f"{row.month:%Y-%m}",
        row.paid,
        row.pending,
        row.returned,
        row.held,
        row.recovered,
    )


Y = Decimal


def test_the_county_sees_its_townships(staff, two_months):
    rows = funds.overview(staff["maker"])
    assert [_row(r) for r in rows] == [
        (
            "dibao",
            "330122002",
            "2024-11",
            Y("0.00"),
            Y("0.00"),
            Y("900.00"),
            Y("700.00"),
            Y("0.00"),
        ),
        ("dibao", "330122102", "2024-11", Y("500.00"), Y("0.00"), Y("0.00"), Y("0.00"), Y("0.00")),
        (
            "dibao",
            "330122002",
            "2024-12",
            Y("0.00"),
            Y("2300.00"),
            Y("0.00"),
            Y("0.00"),
            Y("100.00"),
        ),
        ("dibao", "330122102", "2024-12", Y("0.00"), Y("500.00"), Y("0.00"), Y("0.00"), Y("0.00")),
    ]
    assert [r.region_name for r in rows[:2]] == ["旧县街道", "横村镇"]
    assert funds.totals(rows) == {
        "paid": Y("500.00"),
        "pending": Y("2800.00"),
        "returned": Y("900.00"),
        "held": Y("700.00"),
        "recovered": Y("100.00"),
    }


def test_the_city_sees_its_counties_and_filters_by_month(staff, two_months):
    viewer = make_user("city_viewer", CITY)
    rows = funds.overview(viewer, start=DECEMBER, end=DECEMBER)
    assert [_row(r) for r in rows] == [
        ("dibao", "330122", "2024-12", Y("0.00"), Y("2800.00"), Y("0.00"), Y("0.00"), Y("100.00")),
    ]
    assert funds.overview(viewer, program="tekun") == []


def test_export_with_a_total_row(staff, two_months):
    rows = list(
        csv.reader(io.StringIO(funds.to_csv(funds.overview(staff["maker"])).decode("utf-8-sig")))
    )
    assert rows[0] == [
        "项目",
        "区划代码",
        "区划",
        "月份",
        "已发放（元）",
        "待发放（元）",
        "银行退回（元）",
        "暂缓（元）",
        "已追回（元）",
    ]
    assert rows[1] == [
        "最低生活保障",
        "330122002",
        "旧县街道",
        "2024-11",
        "0.00",
        "0.00",
        "900.00",
        "700.00",
        "0.00",
    ]
    assert rows[-1] == ["合计", "", "", "", "500.00", "2800.00", "900.00", "700.00", "100.00"]


def test_a_township_clerk_has_no_funds_view(staff, two_months):
    assert funds.overview(staff["clerk"]) == []


def test_a_region_named_like_a_formula_is_exported_as_text(staff, two_months):
    Region.objects.filter(code=TOWNSHIP_A).update(name='=HYPERLINK("http://evil","旧县")')
    rows = funds.overview(staff["maker"])
    text = funds.to_csv(rows).decode("utf-8-sig")
    names = {row[2] for row in csv.reader(io.StringIO(text))}
    assert '\'=HYPERLINK("http://evil","旧县")' in names
    assert not [name for name in names if name.startswith("=")]
    sheet = load_workbook(io.BytesIO(funds.to_xlsx(rows))).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil","旧县")' in [c.value for c in cells]
    assert not [c for c in cells if c.data_type == "f"]
