"""The leaders' screens in a real browser, signed in as the demo accounts: the dashboard of the
county and of a township shows the figures the database holds for that region (counted here
with independent queries), the drill-down, the monthly statistics and their Excel export, the
work-plan targets and a printed document. Screenshots go to test-artifacts/."""

from datetime import date

import pytest
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from minzheng import demo
from minzheng.accounts.models import User
from minzheng.cases.models import Case, Status
from minzheng.kit.money import fen_to_yuan
from minzheng.monitoring.models import OutreachTask, Warning
from minzheng.regions.models import Region
from minzheng.registry.models import Person
from minzheng.targets.demo import load_demo_targets
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.dashboards.builders import granted
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_household

TODAY = date(2024, 11, 18)  # a Monday: October has ended, November is the current month
COUNTY = demo.DEMO_COUNTY
PROGRAMS = ["dibao", "tekun", "disability_living"]


@pytest.fixture
def site(page, live_server, transactional_regions, monkeypatch):
    """Recipients in two townships (three villages), warnings and 政策找人 tasks of 2024."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)  # also in the server thread
    demo.create_demo_accounts()
    approver = User.objects.get(username="county_approver")
    second_village = Region.objects.filter(parent_id=TOWNSHIP_A).order_by("code")[1].code
    villages = [first_village(TOWNSHIP_A), second_village, first_village(TOWNSHIP_B)]
    for index, village in enumerate(villages):
        for size in (1, 2, 3)[: index + 1]:
            household = make_household(village, members=size)
            granted(
                household, decided_on=date(2024, 8, 5 + size), amount_fen=50000 * size, by=approver
            )
            granted(
                household,
                "tekun",
                decided_on=date(2024, 9, 2),
                amount_fen=120000,
                by=approver,
                person=household.members.first(),
            )
            _monitoring(household, index)
    # approved in November: paid from December, so not in November's figures
    late = make_household(villages[0], members=2)
    granted(late, decided_on=date(2024, 11, 4), amount_fen=60000, by=approver)
    load_demo_targets(COUNTY, TODAY)
    return page, live_server.url


def _monitoring(household, index):
    person = household.members.first()
    common = {
        "severity": "orange",
        "detail": {},
        "household": household,
        "region_id": household.region_id,
    }
    Warning.objects.create(
        indicator="unemployed", person=person, period="2024-10", due_on=date(2024, 11, 8), **common
    )  # overdue
    Warning.objects.create(
        indicator="vehicle",
        person=person,
        period="2024-09",
        due_on=date(2024, 10, 8),
        status="closed",
        outcome="assist",
        **common,
    )
    status = "applied" if index % 2 == 0 else "open"
    OutreachTask.objects.create(
        household=household,
        program="dibao_edge",
        period="2024-10",
        region_id=household.region_id,
        status=status,
    )


def expected(prefix: str) -> dict:
    """The figures of the region counted straight from the tables."""
    paid = Case.objects.filter(
        region__code__startswith=prefix, status=Status.APPROVED, start_month__lte=date(2024, 11, 1)
    )
    persons = {
        program: Person.objects.filter(
            household__in=paid.filter(program=program, person__isnull=True).values("household")
        ).count()
        + paid.filter(program=program, person__isnull=False).count()
        for program in PROGRAMS
    }
    warnings = Warning.objects.filter(region__code__startswith=prefix, period__startswith="2024-")
    tasks = OutreachTask.objects.filter(region__code__startswith=prefix)
    return {
        "households": str(paid.count()),
        "persons": str(sum(persons.values())),
        "amount": f"{fen_to_yuan(paid.aggregate(s=Sum('amount_fen'))['s']):,}",
        "programs": {p: (str(paid.filter(program=p).count()), str(persons[p])) for p in PROGRAMS},
        "raised": str(warnings.count()),
        "closed": str(warnings.filter(status="closed").count()),
        "overdue": str(warnings.filter(due_on__lt=TODAY).exclude(status="closed").count()),
        "found": str(tasks.count()),
        "applied": str(tasks.filter(status="applied").count()),
    }


def shown(page) -> dict:
    def program(code):
        row = page.locator(f"#program-table tr[data-program='{code}']")
        return tuple(
            row.locator(f"[data-measure='{m}']").inner_text() for m in ("households", "persons")
        )

    return {
        "households": page.inner_text("#total-households"),
        "persons": page.inner_text("#total-persons"),
        "amount": page.inner_text("#total-amount"),
        "programs": {p: program(p) for p in PROGRAMS},
        "raised": page.inner_text("#funnel [data-count='raised']"),
        "closed": page.inner_text("#funnel [data-count='closed']"),
        "overdue": page.inner_text("#funnel [data-count='overdue']"),
        "found": page.inner_text("#outreach [data-count='found']"),
        "applied": page.inner_text("#outreach [data-count='applied']"),
    }


def as_user(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, demo.DEMO_PASSWORD)
    page.wait_for_load_state()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboards_{name}.png"), full_page=True)


def charts_drawn(page) -> None:
    for chart in ("program-chart", "trend-chart", "funnel-chart", "outreach-chart"):
        page.wait_for_selector(f"#{chart}[data-ready='true']")


def test_the_county_and_a_township_see_their_own_figures(site):
    page, base = site
    as_user(page, base, "leader")  # the bureau leader lands on his county's dashboard
    page.wait_for_url(f"{base}/dashboards/")
    charts_drawn(page)
    assert page.inner_text("#dashboard-region") == "桐庐县"
    county = expected("330122")
    assert shown(page) == county
    assert county["programs"] == {
        "dibao": ("6", "10"),
        "tekun": ("6", "6"),
        "disability_living": ("0", "0"),
    }
    township_a = page.locator(f"#part-table tr[data-region='{TOWNSHIP_A}']")
    assert (
        township_a.locator("[data-measure='households']").inner_text()
        == expected(TOWNSHIP_A[:9])["households"]
    )
    assert page.inner_text("#overdue [data-count='warnings']") == county["overdue"]
    shot(page, "county")

    # the drill-down: the county's leader opens township A
    township_a.locator("a").click()
    page.wait_for_url(f"{base}/dashboards/?region={TOWNSHIP_A}")
    charts_drawn(page)
    assert shown(page) == expected(TOWNSHIP_A[:9])
    assert page.inner_text("#trail-current") == "旧县街道"
    shot(page, "county_drilled_to_township")

    # the township's own clerk sees township A and nothing of B
    as_user(page, base, "township_clerk")
    page.goto(f"{base}/dashboards/")
    charts_drawn(page)
    assert page.inner_text("#dashboard-region") == "旧县街道"
    assert shown(page) == expected(TOWNSHIP_A[:9])
    assert (
        page.locator("#part-table tbody tr").count()
        == Region.objects.filter(parent_id=TOWNSHIP_A).count()
    )
    shot(page, "township")
    response = page.goto(f"{base}/dashboards/?region={TOWNSHIP_B}")
    assert response.status == 404


def test_the_statistics_of_october_closed_and_exported(site):
    page, base = site
    as_user(page, base, "county_admin")
    page.goto(f"{base}/dashboards/statistics/?month=2024-10")
    assert page.inner_text("#statistics-title") == "浙江省杭州市桐庐县社会救助统计月报"
    total = page.locator("#section-dibao tr.total td")
    paid = Case.objects.filter(program="dibao", start_month__lte=date(2024, 10, 1))
    assert total.nth(0).inner_text() == str(paid.count())
    shot(page, "statistics_open")
    page.click("#close-form button[type=submit]")
    page.wait_for_load_state()
    assert "已于" in page.inner_text("#statistics-status")
    with page.expect_download() as download:
        page.click("#export-link")
    assert download.value.suggested_filename == "statistics_330122000000_2024-10.xlsx"
    with open(download.value.path(), "rb") as content:
        book = load_workbook(content)
    rows = list(book["最低生活保障"].iter_rows(values_only=True))
    assert rows[0][0] == "浙江省杭州市桐庐县社会救助统计月报（最低生活保障）"
    assert next(r for r in rows if r[0] == "合计")[1] == paid.count()
    shot(page, "statistics_closed")


def test_the_targets_and_a_printed_document(site):
    page, base = site
    as_user(page, base, "leader")
    page.goto(f"{base}/targets/")
    beds = page.locator("#target-table tr[data-target='1']")
    assert "新增养老床位" in beds.inner_text()
    assert beds.locator("[data-value]").inner_text() == "180 张"
    assert beds.locator(".target-status").get_attribute("data-status") == "behind"
    done = page.locator("#status-filter a[data-status='done'] strong").inner_text()
    assert done == "1"  # 新增长者食堂 3 of 3
    shot(page, "targets")

    as_user(page, base, "target_owner")
    page.goto(f"{base}/targets/")
    page.locator("#target-table tr[data-target='1'] a").click()
    page.fill("#id_value", "256")
    page.click("#report-form button[type=submit]")
    page.wait_for_load_state()
    assert page.get_attribute("#target-status", "data-status") == "done"
    page.wait_for_selector("#history-chart[data-ready='true']")
    shot(page, "target_reported")

    as_user(page, base, "county_approver")
    case = Case.objects.filter(program="dibao").order_by("id").first()
    page.goto(f"{base}/cases/{case.pk}/notice/")
    assert page.inner_text("#notice-number") == case.notice_number
    assert page.inner_text("#notice-amount") == f"{case.amount_fen // 100:,}.00"
    page.emulate_media(media="print")
    assert not page.is_visible("#print-document")  # the buttons do not print
    shot(page, "decision_notice_print")
