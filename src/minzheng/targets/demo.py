"""The demo county's work-plan targets: items and figures of the first 2024 work plan
(区民政局2024年工作要点, ../shared/reference) set for the current year, with some progress
reported by the demo target owner, and two targets computed from Minzheng's own figures."""

from datetime import date
from decimal import Decimal

from minzheng.accounts.models import User
from minzheng.regions.models import Region
from minzheng.targets import services, sheet
from minzheng.targets.models import Target

ELDERLY, DISABLED, ASSISTANCE = "养老服务科", "社会事务科", "社会救助科"
# number, item, unit, target value, responsible unit, metric, progress reported so far
PLAN = [
    ("1", "新增养老床位", "张", "256", ELDERLY, "", "180"),
    ("2", "改造认知障碍照护床位", "张", "200", ELDERLY, "", "120"),
    ("3", "新增“养老院+互联网”医院", "家", "2", ELDERLY, "", "1"),
    ("4", "新建社区综合为老服务中心（分中心）", "家", "2", ELDERLY, "", "0"),
    ("5", "新增老年助餐服务场所（长者食堂）", "家", "3", ELDERLY, "", "3"),
    ("6", "建设乡村长者照护之家", "个", "4", ELDERLY, "", "2"),
    ("7", "新建家门口养老服务站", "个", "18", ELDERLY, "", "11"),
    ("8", "实施居家环境适老化改造", "户", "1800", ELDERLY, "", "950"),
    ("9", "高龄独居老年人“一键通”应急呼叫项目", "户", "5000", ELDERLY, "", "3100"),
    ("10", "完成中级养老护理员培训考证", "名", "350", ELDERLY, "", "200"),
    ("11", "新增困难重度残疾人养护床位", "张", "150", DISABLED, "", "60"),
    ("12", "精神障碍社区康复服务街镇覆盖率", "%", "65", DISABLED, "", "40"),
    (
        "13",
        "及时处理核查预警信息（处置率）",
        "%",
        "100",
        ASSISTANCE,
        "warnings_closed_share_year",
        "",
    ),
    (
        "14",
        "深化政策找人机制，主动发现纳入救助",
        "户",
        "20",
        ASSISTANCE,
        "outreach_enrolled_year",
        "",
    ),
]


def load_demo_targets(county: str, today: date) -> int:
    """The plan for this year, once (None loaded when the county has this year's targets)."""
    region = Region.objects.get(code=county)
    if Target.objects.filter(region=region, year=today.year).exists():
        return 0
    manager = User.objects.get(username="county_admin")
    owner = User.objects.get(username="target_owner")
    deadline = date(today.year, 12, 31)
    reported_on = today.replace(day=1)
    for number, item, unit, value, unit_owner, metric, progress in PLAN:
        row = sheet.Row(0, number, item, unit, Decimal(value), unit_owner, deadline, metric, None)
        target = services.create_target(manager, region, today.year, row)
        if progress:
            services.report_progress(
                owner, target.pk, target.version, Decimal(progress), reported_on, "", today
            )
    return len(PLAN)
