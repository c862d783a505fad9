"""`minzheng payroll --county CODE --month YYYY-MM`: the operator generates the county's drafts."""

import pytest
from django.core.management import CommandError, call_command

from minzheng.audit.models import AuditEvent
from minzheng.payments.models import Payroll


def test_the_command_generates_every_program_and_again_changes_nothing(
    staff, paid_household, capsys
):
    call_command("payroll", county="330122", month="2024-11")
    out = capsys.readouterr().out
    assert "330122-dibao-202411：1 人，合计 900.00 元，暂缓 0 人，待处理疑点 0 条" in out
    assert sorted(Payroll.objects.values_list("program", "line_count")) == [
        ("child_allowance", 0),
        ("dibao", 1),
        ("disability_living", 0),
        ("disability_nursing", 0),
        ("elderly", 0),  # 高龄津贴: paid monthly since the one program catalogue
        ("tekun", 0),
        ("temporary", 0),
    ]
    call_command("payroll", county="330122", month="2024-11", program=["dibao"])
    payroll = Payroll.objects.get(program="dibao")
    assert (payroll.generation, payroll.line_count, payroll.prepared_by_id) == (2, 1, None)
    assert AuditEvent.objects.filter(action="payroll.generated", actor__isnull=True).count() == 8


@pytest.mark.parametrize(
    ("case", "options", "message"),
    [
        ("bad month", {"county": "330122", "month": "2024-13"}, "YYYY-MM"),
        ("not a county", {"county": "330122002", "month": "2024-11"}, "按区县编制"),
        (
            "unknown maker",
            {"county": "330122", "month": "2024-11", "maker": "nobody"},
            "用户不存在",
        ),
    ],
)
def test_refused_runs_generate_nothing(staff, case, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("payroll", **options)
    assert Payroll.objects.count() == 0
