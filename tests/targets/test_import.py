"""Importing a year's targets from a sheet: every row or none, row-level Chinese errors, the
numbers unique per region and year, and who may import where."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from minzheng.audit.models import AuditEvent
from minzheng.kit.errors import Forbidden, NotFound, ValidationFailed
from minzheng.regions.models import Region
from minzheng.targets import services, sheet
from minzheng.targets.errors import Error
from minzheng.targets.models import Target
from tests.factories import DEMO_COUNTY, TOWNSHIP_A, make_user

HEADER = ["序号", "工作事项", "计量单位", "目标值", "责任单位", "完成时限", "计算指标", "填报人"]
PLAN = [  # from the first 2024 work plan (区民政局2024年工作要点)
    ["1", "新增养老床位", "张", "256", "养老服务科", "2024-12-31", "", ""],
    ["2", "改造认知障碍照护床位", "张", "200", "养老服务科", "2024/12/31", "", ""],
    ["3", "实施居家环境适老化改造", "户", "1,800", "养老服务科", "2024年12月31日", "", ""],
    [
        "4",
        "高龄独居老年人“一键通”应急呼叫项目",
        "户",
        5000,
        "养老服务科",
        date(2024, 12, 31),
        "",
        "yanglao_ke",
    ],
    [
        "5",
        "低收入人口监测预警全部完成处置",
        "%",
        "100",
        "社会救助科",
        "2024-12-31",
        "本年监测预警处置率",
        "",
    ],
]


def xlsx(rows) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for r in rows:
        book.active.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_good_sheet_becomes_the_years_targets(manager, owner, county):
    created = services.import_targets(manager, county, 2024, "2024工作要点.xlsx", xlsx(PLAN))
    found = [
        (t.number, t.item, t.unit, t.target_value, t.owner, t.deadline, t.metric, t.reporter)
        for t in Target.objects.order_by("id")
    ]
    end = date(2024, 12, 31)
    assert found == [
        ("1", "新增养老床位", "张", Decimal("256"), "养老服务科", end, "", None),
        ("2", "改造认知障碍照护床位", "张", Decimal("200"), "养老服务科", end, "", None),
        ("3", "实施居家环境适老化改造", "户", Decimal("1800"), "养老服务科", end, "", None),
        (
            "4",
            "高龄独居老年人“一键通”应急呼叫项目",
            "户",
            Decimal("5000"),
            "养老服务科",
            end,
            "",
            owner,
        ),
        (
            "5",
            "低收入人口监测预警全部完成处置",
            "%",
            Decimal("100"),
            "社会救助科",
            end,
            "warnings_closed_share_year",
            None,
        ),
    ]
    assert [t.pk for t in created] == list(
        Target.objects.order_by("id").values_list("pk", flat=True)
    )
    event = AuditEvent.objects.get(action="targets.imported")
    assert (event.actor_id, event.region_code, event.after) == (
        manager.pk,
        DEMO_COUNTY,
        {"year": 2024, "file": "2024工作要点.xlsx", "numbers": ["1", "2", "3", "4", "5"]},
    )


def test_a_bad_sheet_is_refused_whole_with_its_rows_errors(manager, owner, county):
    services.create_target(
        manager,
        county,
        2024,
        sheet.Row(
            0, "9", "新增长者食堂", "家", Decimal("3"), "养老服务科", date(2024, 12, 31), "", None
        ),
    )
    events = AuditEvent.objects.count()
    rows = [
        PLAN[0],
        ["2", "改造认知障碍照护床位", "张", "约200", "养老服务科", "2024-12-31", "", ""],
        ["3", "适老化改造", "户", "1800", "养老服务科", "2024-13-01", "", ""],
        ["4", "一键通", "户", "5000", "养老服务科", "2025-03-01", "", ""],
        ["5", "", "家", "2", "养老服务科", "2024-12-31", "", ""],
        ["6", "救助", "户", "10", "社会救助科", "2024-12-31", "不存在的指标", ""],
        ["1", "新建家门口养老服务站", "个", "18", "养老服务科", "2024-12-31", "", ""],
        ["7", "乡村长者照护之家", "个", "4", "养老服务科", "2024-12-31", "", "nobody"],
        ["9", "新增长者食堂", "家", "3", "养老服务科", "2024-12-31", "", ""],
        ["10", "认知障碍支持中心", "个", "0", "养老服务科", "2024-12-31", "", ""],
    ]
    with pytest.raises(services.SheetRefused) as refused:
        services.import_targets(manager, county, 2024, "plan.xlsx", xlsx(rows))
    assert refused.value.errors == [
        "第3行：目标值“约200”不是数字。",
        "第4行：完成时限“2024-13-01”不是有效日期（如 2024-12-31）。",
        "第5行：完成时限应在2024年内。",
        "第6行：缺少工作事项。",
        "第7行：未知的计算指标“不存在的指标”（见模板的“计算指标”表）。",
        "第8行：序号“1”与第2行重复。",
        "第9行：填报人“nobody”不是本区域的工作目标责任人账号。",
        "第10行：2024年已有序号为“9”的工作目标。",
        "第11行：目标值应大于零。",
    ]
    assert (refused.value.error_code, refused.value.field) == (Error.SHEET_REFUSED, "file")
    assert list(Target.objects.values_list("number", flat=True)) == ["9"]
    assert AuditEvent.objects.count() == events


def test_a_csv_in_gbk_and_a_sheet_without_a_column(manager, county):
    content = "序号,工作事项,计量单位,目标值,责任单位,完成时限\n"
    content += "1,新增养老床位,张,256,养老服务科,2024-12-31\n"
    services.import_targets(manager, county, 2024, "plan.csv", content.encode("gb18030"))
    assert Target.objects.get().item == "新增养老床位"
    with pytest.raises(services.SheetRefused) as refused:
        services.import_targets(manager, county, 2025, "plan.csv", "序号,工作事项\n1,x\n".encode())
    assert refused.value.errors == ["缺少列：计量单位、目标值、责任单位、完成时限。"]
    with pytest.raises(services.SheetRefused) as refused:
        services.import_targets(manager, county, 2025, "plan.xlsx", b"not a workbook")
    assert refused.value.errors == ["无法读取该 Excel 文件，请确认是未加密的 .xlsx 文件。"]


@pytest.mark.parametrize(
    ("case", "role", "home", "region", "error"),
    [
        ("a leader may not import", "bureau_leader", DEMO_COUNTY, DEMO_COUNTY, Forbidden),
        ("a target owner may not import", "target_owner", DEMO_COUNTY, DEMO_COUNTY, Forbidden),
        ("another county's manager", "county_admin", "330102000000", DEMO_COUNTY, NotFound),
        (
            "a township is not a plan's region",
            "county_admin",
            DEMO_COUNTY,
            TOWNSHIP_A,
            ValidationFailed,
        ),
    ],
)
def test_refused_imports_store_nothing(regions, case, role, home, region, error):
    if home == "330102000000":
        Region.objects.create(code=home, name="上城区", level=3, parent_id="330100000000")
    actor = make_user(role, home)
    events = AuditEvent.objects.count()
    with pytest.raises(error):
        services.import_targets(actor, Region.objects.get(code=region), 2024, "p.xlsx", xlsx(PLAN))
    assert Target.objects.count() == 0 and AuditEvent.objects.count() == events


def test_the_template_lists_the_columns_and_the_metrics():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(sheet.template()))
    assert [c.value for c in book["工作目标"][1]] == HEADER
    assert [c.value for c in book["计算指标"][2]] == ["dibao_households", "在保低保户数", "户"]
