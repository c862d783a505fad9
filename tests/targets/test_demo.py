from datetime import date
from decimal import Decimal

from minzheng import demo
from minzheng.audit.models import AuditEvent
from minzheng.targets.demo import load_demo_targets
from minzheng.targets.models import Progress, Target


def test_the_demo_loads_the_work_plans_targets_once(regions):
    demo.create_demo_accounts()
    today = date(2024, 11, 18)
    assert load_demo_targets(demo.DEMO_COUNTY, today) == 14
    assert load_demo_targets(demo.DEMO_COUNTY, today) == 0
    beds = Target.objects.get(number="1")
    assert (beds.item, beds.target_value, beds.value, beds.deadline) == (
        "新增养老床位",
        Decimal("256"),
        Decimal("180"),
        date(2024, 12, 31),
    )
    assert Target.objects.exclude(metric="").count() == 2
    assert Progress.objects.count() == 12
    assert AuditEvent.objects.filter(action="target.progress_reported").count() == 12
