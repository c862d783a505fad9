"""Targets computed from a Minzheng metric follow the data: the overview shows the metric's
value now, and a refresh writes a history row only when the value has changed."""

from datetime import date
from decimal import Decimal

from minzheng.audit.models import AuditEvent
from minzheng.monitoring.models import OutreachTask, Warning
from minzheng.targets import selectors, services
from minzheng.targets.models import Progress
from tests.dashboards.builders import granted, step
from tests.targets.conftest import row

NOV = date(2024, 11, 18)


def line_of(user, county, number):
    return next(x for x in selectors.overview(user, county, 2024, NOV) if x.target.number == number)


def test_a_computed_target_follows_the_cases(manager, county, homes, approver, monkeypatch):
    target = services.create_target(
        manager, county, 2024, row("2", "在保低保户数达到", "户", "2", metric="dibao_households")
    )
    assert line_of(manager, county, "2").standing.value == Decimal("0")

    case = granted(homes["a_rural"], decided_on=date(2024, 10, 8), amount_fen=90000, by=approver)
    found = line_of(manager, county, "2").standing
    assert (found.value, found.status, found.percent) == (Decimal("1"), "behind", Decimal("50.0"))

    granted(homes["b"], decided_on=date(2024, 9, 2), amount_fen=80000, by=approver)
    assert line_of(manager, county, "2").standing.status == "done"

    step(monkeypatch, approver, case, "end", date(2024, 11, 12), reason="收入超过标准")
    assert line_of(manager, county, "2").standing.value == Decimal("1")
    target.refresh_from_db()
    assert target.value == 0  # the stored value changes only when recorded


def test_a_refresh_records_a_change_once(manager, county, homes, approver):
    target = services.create_target(
        manager, county, 2024, row("2", "在保低保人数", "人", "10", metric="dibao_persons")
    )
    granted(homes["a_rural"], decided_on=date(2024, 10, 8), amount_fen=90000, by=approver)
    assert services.refresh_computed(manager, county, 2024, NOV) == 1
    assert services.refresh_computed(manager, county, 2024, NOV) == 0  # nothing changed
    history = list(Progress.objects.values_list("value", "on", "source", "reported_by"))
    assert history == [(Decimal("3"), NOV, "computed", None)]
    target.refresh_from_db()
    assert (target.value, target.value_on, target.version) == (Decimal("3"), NOV, 2)
    event = AuditEvent.objects.get(action="target.progress_computed")
    assert event.after == {"year": 2024, "number": "2", "value": "3", "on": "2024-11-18"}

    granted(homes["b"], decided_on=date(2024, 10, 9), amount_fen=80000, by=approver)
    assert services.refresh_computed(None, county, 2024, NOV) == 1  # the operator's command
    assert list(Progress.objects.values_list("value", flat=True)) == [Decimal("3"), Decimal("7")]


def test_the_monitoring_metrics(manager, county, homes):
    a = homes["a_rural"]
    services.create_target(
        manager,
        county,
        2024,
        row("3", "预警全部处置", "%", "100", metric="warnings_closed_share_year"),
    )
    services.create_target(
        manager, county, 2024, row("4", "政策找人纳入", "户", "5", metric="outreach_enrolled_year")
    )
    common = {
        "severity": "red",
        "detail": {},
        "period": "2024-10",
        "household": a,
        "region_id": a.region_id,
        "due_on": date(2024, 11, 1),
    }
    members = list(a.members.all())
    Warning.objects.create(indicator="x", person=members[0], status="closed", **common)
    Warning.objects.create(indicator="x", person=members[1], **common)
    Warning.objects.create(indicator="x", person=members[2], **common)
    OutreachTask.objects.create(
        household=a, program="dibao", period="2024-10", region_id=a.region_id, status="applied"
    )
    assert line_of(manager, county, "3").standing.value == Decimal("33.3")
    assert line_of(manager, county, "4").standing.value == Decimal("0")  # applied, not enrolled


def test_the_command_records_the_computed_targets(today, manager, county, homes, approver):
    import io

    from django.core.management import call_command

    services.create_target(
        manager, county, 2024, row("2", "在保低保户数", "户", "5", metric="dibao_households")
    )
    granted(homes["b"], decided_on=date(2024, 9, 2), amount_fen=80000, by=approver)
    out = io.StringIO()
    call_command("refresh_targets", region="330122", stdout=out)
    assert out.getvalue() == "桐庐县：1 项自动计算的工作目标有变化，已记录。\n"
    assert list(Progress.objects.values_list("value", "source")) == [(Decimal("1"), "computed")]
