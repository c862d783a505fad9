"""The monthly statistics: the 民政统计-style table, closing a month, and an export that keeps
every cell after later changes to the data."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from minzheng.audit.models import AuditEvent
from minzheng.dashboards import export, figures, services, tables
from minzheng.dashboards.errors import Error
from minzheng.dashboards.models import MonthClosing, MonthlyFigure
from minzheng.kit import crypto
from minzheng.kit.errors import ErrorCode, NotFound
from minzheng.regions.models import Region
from minzheng.registry.models import Household, Person
from tests.dashboards.builders import granted, step
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, make_id_number, make_user
from tests.refusals import refused

OCT, NOV = date(2024, 10, 1), date(2024, 11, 1)
COUNTY = "330122000000"


@pytest.fixture
def october(homes, approver):
    """In payment in October 2024: 低保 of the rural household of A (3 persons, 900 yuan) and
    of the household of B (4 persons, 1,000 yuan); a 临时救助 grant to the urban one of A."""
    granted(homes["a_rural"], decided_on=date(2024, 9, 20), amount_fen=90000, by=approver)
    granted(homes["b"], decided_on=date(2024, 8, 12), amount_fen=100000, by=approver)
    granted(
        homes["a_urban"], "temporary", decided_on=date(2024, 10, 8), amount_fen=150000, by=approver
    )
    return homes


def county() -> Region:
    return Region.objects.get(code=COUNTY)


def cells_of(households, persons, yuan, new, exited) -> tuple:
    """A line's cells: households, persons and amounts (合计, 城市, 农村), new, exited."""
    return (
        *households,
        *persons,
        *(Decimal(y).quantize(Decimal("0.01")) for y in yuan),
        new,
        exited,
    )


def line(section, label):
    return next(x for x in section.lines if x.label == label)


def test_the_county_table_has_a_line_per_township_and_a_total(october):
    table = tables.table_for(county(), OCT)
    dibao = next(s for s in table.sections if s.program == "dibao")
    assert table.title == "浙江省杭州市桐庐县社会救助统计月报"
    assert [x.label for x in dibao.lines][:2] == ["旧县街道", "桐君街道"]
    assert line(dibao, "旧县街道").cells == cells_of((1, 0, 1), (3, 0, 3), (900, 0, 900), 1, 0)
    assert line(dibao, "横村镇").cells == cells_of((1, 0, 1), (4, 0, 4), (1000, 0, 1000), 0, 0)
    assert line(dibao, "合计").cells == cells_of((2, 0, 2), (7, 0, 7), (1900, 0, 1900), 1, 0)
    temporary = line(table.summary, "临时救助")
    assert temporary.cells == cells_of((1, 1, 0), (2, 2, 0), (1500, 1500, 0), 1, 0)
    assert table.provisional is True and table.closed_at is None


def test_a_township_table_has_a_line_per_village(october):
    table = tables.table_for(Region.objects.get(code=TOWNSHIP_A), OCT)
    dibao = next(s for s in table.sections if s.program == "dibao")
    village = Region.objects.get(code=october["a_rural"].region_id)
    assert line(dibao, village.name).cells[:3] == (1, 0, 1)
    assert line(dibao, "合计").cells[:3] == (1, 0, 1)


def test_closing_a_month_freezes_its_figures(october, approver):
    admin = make_user("county_admin", COUNTY)
    closing = services.close_month(admin, COUNTY, OCT, date(2024, 11, 3))
    stored = MonthlyFigure.objects.filter(closing=closing)
    assert sorted(stored.values_list("region_id", "program", "households", "persons")) == [
        (october["a_rural"].region_id, "dibao", 1, 3),
        (october["a_urban"].region_id, "temporary", 1, 2),
        (october["b"].region_id, "dibao", 1, 4),
    ]
    event = AuditEvent.objects.get(action="statistics.month_closed")
    assert (event.actor_id, event.region_code, event.after) == (
        admin.pk,
        COUNTY,
        {"month": "2024-10", "rows": 3, "digest": closing.digest},
    )
    table = tables.table_for(county(), OCT)
    assert (table.provisional, table.closed_at, table.digest) == (
        False,
        closing.closed_at,
        closing.digest,
    )


def _refused(error, actor, code=COUNTY, month=OCT, today=date(2024, 11, 3)):
    events = AuditEvent.objects.count()
    # a declared code, or the plain NotFound of region scoping (outside one's own region)
    with refused(error) if isinstance(error, ErrorCode) else pytest.raises(error):
        services.close_month(actor, code, month, today)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("case", "role", "home", "code", "month", "error"),
    [
        (
            "a role that may not close",
            "county_approver",
            COUNTY,
            COUNTY,
            OCT,
            Error.CLOSE_NOT_PERMITTED,
        ),
        ("another county's manager", "county_admin", "330102000000", COUNTY, OCT, NotFound),
        ("a township, not a county", "county_admin", COUNTY, TOWNSHIP_A, OCT, Error.NOT_A_COUNTY),
        ("the month has not ended", "county_admin", COUNTY, COUNTY, NOV, Error.MONTH_NOT_ENDED),
    ],
)
def test_refused_closings_change_nothing(october, case, role, home, code, month, error):
    if home == "330102000000":
        Region.objects.create(code=home, name="上城区", level=3, parent_id="330100000000")
    _refused(error, make_user(role, home), code, month)
    assert MonthClosing.objects.count() == 0 and MonthlyFigure.objects.count() == 0


def test_a_month_closes_once(october):
    admin = make_user("county_admin", COUNTY)
    first = services.close_month(admin, COUNTY, OCT, date(2024, 11, 3))
    _refused(Error.MONTH_CLOSED, admin)
    assert list(MonthClosing.objects.all()) == [first]
    assert MonthlyFigure.objects.count() == 3


def cells(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {
        sheet.title: (
            [[c.value for c in row] for row in sheet.iter_rows()],
            sorted(str(r) for r in sheet.merged_cells.ranges),
        )
        for sheet in book.worksheets
    }


def later_changes(homes, approver, monkeypatch):
    """What happens in November to October's facts: a late approval dated in October, an end
    dated in October, a new member, a household moved to urban, an amount raised."""
    granted(homes["a_urban"], decided_on=date(2024, 9, 30), amount_fen=50000, by=approver)
    dibao_b = homes["b"].cases.get(program="dibao")
    step(monkeypatch, approver, dibao_b, "end", date(2024, 10, 25), reason="收入超过标准")
    rural = homes["a_rural"]
    birth = date(2001, 5, 5)
    number = make_id_number(birth, "F")
    Person.objects.create(
        household=rural,
        region_id=rural.region_id,
        id_number=number,
        id_number_index=crypto.blind_index(number, "id_number"),
        name="张新",
        sex="F",
        birth_date=birth,
        relation="child",
    )
    Household.objects.filter(pk=rural.pk).update(area_type="urban")
    rural.cases.filter(program="dibao").update(amount_fen=120000)


def test_a_closed_months_export_keeps_every_cell_after_later_changes(
    october, approver, monkeypatch
):
    admin = make_user("county_admin", COUNTY)
    services.close_month(admin, COUNTY, OCT, date(2024, 11, 3))
    before = cells(export.workbook(tables.table_for(county(), OCT)))
    live_before = figures.month_figures(figures.load("330122"), OCT)

    later_changes(october, approver, monkeypatch)

    assert figures.month_figures(figures.load("330122"), OCT).rows() != live_before.rows()
    assert cells(export.workbook(tables.table_for(county(), OCT))) == before
    township = Region.objects.get(code=TOWNSHIP_B)
    assert line(tables.table_for(township, OCT).summary, "最低生活保障").cells[:3] == (1, 0, 1)


def test_the_export_is_laid_out_like_a_statistics_report(october):
    sheets = cells(export.workbook(tables.table_for(county(), OCT)))
    assert list(sheets)[:3] == ["汇总", "最低生活保障", "低保边缘家庭"]
    rows, merged = sheets["最低生活保障"]
    assert rows[0][0] == "浙江省杭州市桐庐县社会救助统计月报（最低生活保障）"
    assert rows[1][0] == "统计月份：2024年10月　　填报单位：桐庐县"
    assert rows[2][0] == "数据状态：本月尚未关账，为临时数据，关账后以关账数据为准"
    assert rows[3][:5] == ["地区", "在保户数（户）", None, None, "在保人数（人）"]
    assert rows[3][10:] == ["本月新增（户）", "本月退出（户）"]
    assert rows[4][:4] == [None, "合计", "城市", "农村"]
    assert rows[5][:4] == ["旧县街道", 1, 0, 1]
    assert {"A1:L1", "A4:A5", "B4:D4", "K4:K5", "L4:L5"} <= set(merged)
    total = next(r for r in rows if r[0] == "合计")
    assert total[1:4] == [2, 0, 2] and total[7] == 1900
    assert rows[-2][0].startswith("校验码（SHA-256）：")


def test_the_command_closes_the_previous_month(october, today):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("close_month", county="330122", stdout=out)
    closing = MonthClosing.objects.get()
    assert (closing.month, closing.closed_by) == (OCT, None)
    assert out.getvalue() == f"已关账 桐庐县 2024-10：3 行，校验码 {closing.digest}\n"
