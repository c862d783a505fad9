"""The dashboard and the statistics screens: who may open them, for which regions, and the
figures they show (equal to counts made here from the database)."""

import html
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from minzheng.audit.models import AuditEvent
from minzheng.dashboards.models import MonthClosing
from minzheng.monitoring.models import OutreachTask, Warning
from minzheng.regions.models import Region
from tests.dashboards.builders import granted
from tests.factories import DEMO_COUNTY, TOWNSHIP_A, TOWNSHIP_B, first_village, make_user

OTHER_COUNTY = "330102000000"


@pytest.fixture
def cases(today, homes, approver):
    granted(homes["a_rural"], decided_on=date(2024, 9, 20), amount_fen=90000, by=approver)
    granted(homes["a_urban"], decided_on=date(2024, 9, 2), amount_fen=60000, by=approver)
    granted(homes["b"], decided_on=date(2024, 8, 12), amount_fen=100000, by=approver)
    return homes


@pytest.fixture
def elsewhere(regions):
    Region.objects.create(code=OTHER_COUNTY, name="上城区", level=3, parent_id="330100000000")


SCREENS = ["/dashboards/", "/dashboards/statistics/", "/dashboards/statistics/export/"]


@pytest.mark.parametrize("url", SCREENS)
def test_anonymous_is_sent_to_sign_in(client, regions, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("case", "role", "home", "url", "status"),
    [
        ("village worker, dashboard", "village_worker", "village", SCREENS[0], 403),
        ("resident, statistics", "resident", "village", SCREENS[1], 403),
        ("audit admin, export", "audit_admin", DEMO_COUNTY, SCREENS[2], 403),
        ("township clerk, own township", "township_clerk", TOWNSHIP_A, SCREENS[0], 200),
        ("township clerk, statistics", "township_clerk", TOWNSHIP_A, SCREENS[1], 200),
        ("leader, dashboard", "bureau_leader", DEMO_COUNTY, SCREENS[0], 200),
        ("leader, export", "bureau_leader", DEMO_COUNTY, SCREENS[2], 200),
        ("city viewer, statistics", "city_viewer", "330100000000", SCREENS[1], 200),
    ],
)
def test_who_may_open_the_screens(client, cases, case, role, home, url, status):
    home = first_village(TOWNSHIP_A) if home == "village" else home
    client.force_login(make_user(role, home))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", SCREENS)
@pytest.mark.parametrize(
    ("case", "home", "region"),
    [
        ("a township user asks for the other township", TOWNSHIP_A, TOWNSHIP_B),
        ("a township user asks for the county", TOWNSHIP_A, DEMO_COUNTY),
        ("a leader asks for another county", DEMO_COUNTY, OTHER_COUNTY),
        ("an unknown code", DEMO_COUNTY, "330122999000"),
        ("not a code", DEMO_COUNTY, "abc"),
    ],
)
def test_a_region_outside_ones_own_is_not_found(client, cases, elsewhere, url, case, home, region):
    role = "township_reviewer" if home == TOWNSHIP_A else "bureau_leader"
    client.force_login(make_user(role, home))
    assert client.get(f"{url}?region={region}").status_code == 404


def test_the_county_dashboard_shows_the_countys_figures(client, cases):
    client.force_login(make_user("bureau_leader", DEMO_COUNTY))
    context = client.get("/dashboards/").context
    recipients = context["recipients"]
    assert recipients["month"] == date(2024, 11, 1)
    assert (recipients["total"].households, recipients["total"].persons) == (3, 9)
    assert recipients["total"].amount_fen == 250000
    dibao = next(t for code, _label, t in recipients["programs"] if code == "dibao")
    assert (dibao.households, dibao.persons, dibao.amount_fen) == (3, 9, 250000)
    parts = {p["name"]: p["totals"].households for p in recipients["parts"]}
    assert (parts["旧县街道"], parts["横村镇"], len(parts)) == (2, 1, 14)
    assert [t["households"] for t in recipients["trend"]] == [0] * 8 + [0, 1, 3, 3]


def test_the_dashboards_statistics_link_opens_the_month_it_shows(client, cases):
    client.force_login(make_user("bureau_leader", DEMO_COUNTY))
    page = client.get("/dashboards/")
    shown = page.context["recipients"]["month"]
    href = re.search(r'href="([^"]+)" id="statistics-link"', page.content.decode()).group(1)
    statistics = client.get(html.unescape(href))
    assert statistics.status_code == 200
    assert (statistics.context["month"], statistics.context["region"].code) == (shown, DEMO_COUNTY)


def test_the_drill_down_to_a_township_shows_its_villages(client, cases):
    client.force_login(make_user("bureau_leader", DEMO_COUNTY))
    context = client.get(f"/dashboards/?region={TOWNSHIP_A}").context
    assert [r.name for r in context["trail"]] == ["桐庐县", "旧县街道"]
    parts = context["recipients"]["parts"]
    village = first_village(TOWNSHIP_A)
    assert [(p["code"], p["totals"].households) for p in parts if p["totals"].households] == [
        (village, 2)
    ]
    assert context["recipients"]["total"].households == 2


def test_the_monitoring_funnel_and_outreach_count_the_region(client, cases):
    a, b = cases["a_rural"], cases["b"]
    person_a, person_b = a.members.first(), b.members.first()
    common = {"severity": "red", "detail": {}, "period": "2024-10"}
    Warning.objects.create(
        indicator="x",
        person=person_a,
        household=a,
        region_id=a.region_id,
        due_on=date(2024, 11, 1),
        **common,
    )
    Warning.objects.create(
        indicator="y",
        person=person_a,
        household=a,
        region_id=a.region_id,
        due_on=date(2024, 12, 1),
        status="closed",
        outcome="assist",
        **common,
    )
    Warning.objects.create(
        indicator="x",
        person=person_b,
        household=b,
        region_id=b.region_id,
        due_on=date(2024, 11, 1),
        **common,
    )
    OutreachTask.objects.create(
        household=a, program="dibao", period="2024-10", region_id=a.region_id, status="applied"
    )
    OutreachTask.objects.create(
        household=b, program="tekun", period="2024-10", region_id=b.region_id
    )
    client.force_login(make_user("township_clerk", TOWNSHIP_A))
    context = client.get("/dashboards/").context
    funnel = context["funnel"]
    assert (funnel["raised"], funnel["assigned"], funnel["closed"], funnel["overdue"]) == (
        2,
        1,
        1,
        1,
    )
    assert ("assist", "帮扶", 1) in funnel["outcomes"]
    outreach = context["outreach"]
    assert (outreach["found"], outreach["applied"], outreach["enrolled"]) == (1, 1, 1)
    assert str(outreach["rate"]) == "100.0"
    assert context["overdue"]["warnings"] == 1


def test_the_statistics_screen_offers_closing_to_the_county_manager(client, cases):
    client.force_login(make_user("county_admin", DEMO_COUNTY))
    page = client.get("/dashboards/statistics/?month=2024-10")
    assert page.context["close_form"] is not None
    assert "尚未关账" in page.content.decode()
    events = AuditEvent.objects.count()
    response = client.post(
        "/dashboards/statistics/close/", {"region": DEMO_COUNTY, "month": "2024-10"}
    )
    assert response.status_code == 302
    assert MonthClosing.objects.get().month == date(2024, 10, 1)
    assert AuditEvent.objects.count() == events + 1
    page = client.get("/dashboards/statistics/?month=2024-10")
    assert page.context["close_form"] is None and "已于" in page.content.decode()


def test_closing_by_a_leader_is_refused(client, cases):
    client.force_login(make_user("bureau_leader", DEMO_COUNTY))
    response = client.post(
        "/dashboards/statistics/close/", {"region": DEMO_COUNTY, "month": "2024-10"}
    )
    assert response.status_code == 403 and MonthClosing.objects.count() == 0


def test_the_export_is_an_excel_file(client, cases):
    client.force_login(make_user("bureau_leader", DEMO_COUNTY))
    response = client.get("/dashboards/statistics/export/?month=2024-10")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="statistics_330122000000_2024-10.xlsx"'
    )
    assert response.content[:2] == b"PK"


def test_a_region_named_like_a_formula_is_exported_as_text(client, cases):
    Region.objects.filter(code=DEMO_COUNTY).update(name="=1+2")
    client.force_login(make_user("bureau_leader", DEMO_COUNTY))
    response = client.get("/dashboards/statistics/export/?month=2024-10")
    sheet = load_workbook(io.BytesIO(response.content))["汇总"]
    assert sheet["A2"].value == "统计月份：2024年10月　　填报单位：=1+2"
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
