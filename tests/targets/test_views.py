"""The targets screens: the overview by status, the owner's progress report (a permission
matrix whose refusals change nothing), entry, import and the refresh."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.audit.models import AuditEvent
from minzheng.regions.models import Region
from minzheng.targets import services
from minzheng.targets.models import Progress, Target
from tests.factories import DEMO_COUNTY, TOWNSHIP_A, make_user
from tests.targets.conftest import row
from tests.targets.test_import import PLAN, xlsx


def report(client, target, value="120", on="2024-11-15", note="已建成两家机构"):
    return client.post(
        f"/targets/{target.pk}/",
        {"version": target.version, "value": value, "on": on, "note": note},
    )


def test_the_owner_reports_progress(client, today, beds, owner):
    client.force_login(owner)
    assert report(client, beds).status_code == 302
    beds.refresh_from_db()
    assert (beds.value, beds.value_on, beds.version) == (Decimal("120"), date(2024, 11, 15), 2)
    assert list(Progress.objects.values_list("value", "source", "note", "reported_by")) == [
        (Decimal("120"), "reported", "已建成两家机构", owner.pk)
    ]
    event = AuditEvent.objects.get(action="target.progress_reported")
    assert event.after == {
        "year": 2024,
        "number": "1",
        "value": "120",
        "on": "2024-11-15",
        "note": "已建成两家机构",
    }
    page = client.get(f"/targets/{beds.pk}/")
    assert page.context["line"].standing.status == "behind"  # 46.9% of 256 by 18 November


@pytest.mark.parametrize(
    ("case", "who", "value", "on", "status"),
    [
        ("a leader reads only", "leader", "120", "2024-11-15", 403),
        ("another county's owner", "away", "120", "2024-11-15", 404),
        ("not the named reporter", "other_owner", "120", "2024-11-15", 403),
        ("a day in the future", "owner", "120", "2024-11-19", 422),
        ("a negative value", "owner", "-1", "2024-11-15", 422),
        ("a stale version", "stale", "120", "2024-11-15", 409),
    ],
)
def test_refused_reports_change_nothing(
    client, today, beds, manager, owner, case, who, value, on, status
):
    Region.objects.create(code="330102000000", name="上城区", level=3, parent_id="330100000000")
    users = {
        "leader": make_user("bureau_leader", DEMO_COUNTY),
        "away": make_user("target_owner", "330102000000"),
        "other_owner": make_user("target_owner", DEMO_COUNTY),
        "owner": owner,
        "stale": owner,
    }
    if who == "other_owner":
        Target.objects.filter(pk=beds.pk).update(reporter=owner)
    if who == "stale":
        Target.objects.filter(pk=beds.pk).update(version=5)
    events = AuditEvent.objects.count()
    client.force_login(users[who])
    assert report(client, beds, value=value, on=on).status_code == status
    fresh = Target.objects.get(pk=beds.pk)
    assert (fresh.value, fresh.value_on) == (Decimal("0"), None)
    assert Progress.objects.count() == 0 and AuditEvent.objects.count() == events


def test_a_computed_target_takes_no_report(client, today, manager, owner, county):
    target = services.create_target(
        manager, county, 2024, row("8", "在保低保户数", "户", "100", metric="dibao_households")
    )
    client.force_login(owner)
    assert client.get(f"/targets/{target.pk}/").context["form"] is None
    assert report(client, target).status_code == 403
    assert Progress.objects.count() == 0


def test_the_overview_filters_by_status(client, today, manager, beds, owner):
    services.report_progress(owner, beds.pk, 1, Decimal("256"), date(2024, 11, 1), "", today)
    services.create_target(
        manager, Region.objects.get(code=DEMO_COUNTY), 2024, row("2", "一键通", "户", "5000")
    )
    client.force_login(make_user("bureau_leader", DEMO_COUNTY))
    page = client.get("/targets/?year=2024")
    assert [(x.target.number, x.standing.status) for x in page.context["lines"]] == [
        ("1", "done"),
        ("2", "behind"),
    ]
    assert page.context["counts"]["by_status"] == [
        ("done", "已完成", 1),
        ("on_track", "进度正常", 0),
        ("behind", "进度滞后", 1),
    ]
    done = client.get("/targets/?year=2024&status=done").context["lines"]
    assert [x.target.number for x in done] == ["1"]
    dashboard = client.get("/dashboards/").context["targets"]
    assert dashboard["overdue"] == 0 and dashboard["by_status"][2][2] == 1


def test_the_manager_imports_and_a_bad_sheet_shows_its_rows(client, today, manager):
    client.force_login(manager)
    bad = [PLAN[0], ["2", "改造床位", "张", "约200", "养老服务科", "2024-12-31", "", ""]]
    response = client.post(
        "/targets/import/?year=2024", {"file": SimpleUploadedFile("p.xlsx", xlsx(bad))}
    )
    assert response.status_code == 422
    assert response.context["errors"] == ["第3行：目标值“约200”不是数字。"]
    assert Target.objects.count() == 0
    response = client.post(
        "/targets/import/?year=2024", {"file": SimpleUploadedFile("p.xlsx", xlsx(PLAN[:3]))}
    )
    assert response.status_code == 302
    assert Target.objects.count() == 3


def test_entry_and_its_duplicate(client, today, manager):
    client.force_login(manager)
    data = {
        "number": "1",
        "item": "新增养老床位",
        "unit": "张",
        "target_value": "256",
        "owner": "养老服务科",
        "deadline": "2024-12-31",
        "metric": "",
        "reporter": "",
    }
    assert client.post("/targets/new/?year=2024", data).status_code == 302
    events = AuditEvent.objects.count()
    response = client.post("/targets/new/?year=2024", data)
    assert response.status_code == 409
    assert Target.objects.count() == 1 and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("case", "role", "home", "url", "status"),
    [
        ("anonymous", None, None, "/targets/", 302),
        ("a village worker", "village_worker", "village", "/targets/", 403),
        ("a leader may not import", "bureau_leader", DEMO_COUNTY, "/targets/import/", 403),
        (
            "a township for a plan",
            "county_admin",
            DEMO_COUNTY,
            f"/targets/new/?region={TOWNSHIP_A}",
            422,
        ),
        ("a leader reads", "bureau_leader", DEMO_COUNTY, "/targets/", 200),
        ("the manager's template", "county_admin", DEMO_COUNTY, "/targets/import/template/", 200),
    ],
)
def test_who_may_open_the_screens(client, today, regions, case, role, home, url, status):
    from tests.factories import first_village

    if role:
        home = first_village(TOWNSHIP_A) if home == "village" else home
        client.force_login(make_user(role, home))
    assert client.get(url).status_code == status


def test_the_refresh_button(client, today, manager, county, homes, approver):
    from tests.dashboards.builders import granted

    services.create_target(
        manager, county, 2024, row("8", "在保低保户数", "户", "100", metric="dibao_households")
    )
    granted(homes["b"], decided_on=date(2024, 9, 2), amount_fen=80000, by=approver)
    client.force_login(manager)
    response = client.post("/targets/refresh/", {"region": DEMO_COUNTY, "year": "2024"})
    assert response.status_code == 302
    assert list(Progress.objects.values_list("value", flat=True)) == [Decimal("1")]
    client.force_login(make_user("bureau_leader", DEMO_COUNTY))
    assert client.post("/targets/refresh/", {"region": DEMO_COUNTY}).status_code == 403
