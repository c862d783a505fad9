"""The monitoring screens through the Django test client: each screen for its roles and refused
to others, region scoping, the upload of a department file, the warning forms, the inbox filters
and figures, recomputation, the review queue, 政策找人 and 核对."""

import json
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minzheng.audit.models import AuditEvent
from minzheng.cases import services as cases
from minzheng.cases.models import Case, Status
from minzheng.monitoring import checks, ingest, outreach, services
from minzheng.monitoring.models import (
    CheckReport,
    Fact,
    FeedFile,
    FeedProblem,
    MatchReview,
    OutreachTask,
    Warning,
)
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_id_number, make_user
from tests.monitoring.conftest import csv_of

TODAY = date(2024, 11, 4)  # a Monday
COUNTY = "330122000000"
HEADER = "身份证号,姓名,死亡日期"


class Clock:
    def __init__(self, today: date):
        self.today = today


@pytest.fixture
def clock(monkeypatch):
    """The screens' `timezone.localdate()`, set by the test (no other clock is touched)."""
    clock = Clock(TODAY)
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return clock.today if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return clock


def found(person, indicator: str, severity: str, **detail) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": [indicator],
            "severity": [severity],
            "person_id": [person.pk],
            "household_id": [person.household_id],
            "region_code": [person.region_id],
            "detail": [json.dumps(detail)],
        }
    )


def raise_one(person, indicator="recipient_died", severity="red", **detail) -> Warning:
    services.raise_warnings(COUNTY, "2024-10", found(person, indicator, severity, **detail), TODAY)
    return Warning.objects.get(indicator=indicator, person=person)


def heads(household):
    return list(household.members.order_by("id"))


@pytest.fixture
def warning(household, receiving):
    head = heads(household)[0]
    return raise_one(head, died_on="2024-10-12")


@pytest.fixture
def uploaded(people, household):
    """A deaths file with one matched row, one to review, one unmatched and one invalid."""
    head, spouse = heads(household)
    stranger = make_id_number(date(1970, 1, 1), "M")
    content = csv_of(
        HEADER,
        f"{head.id_number},{head.name},2024-10-12",
        f"{spouse.id_number},李某,2024-10-13",
        f"{stranger},王某,2024-10-14",
        "330122198001011234,赵某,2024-10-15",
    )
    return content


def upload(client, content: bytes, feed="deaths", period="2024-10", name="deaths.csv"):
    data = {"feed": feed, "period": period, "file": SimpleUploadedFile(name, content)}
    return client.post("/monitoring/feeds/", data)


@pytest.fixture
def task(household):
    frame = pl.DataFrame({"household_id": [household.pk], "program": ["tekun"], "amount_fen": [1]})
    outreach.create_tasks(COUNTY, "2024-10", frame, {household.pk: household.region_id})
    return OutreachTask.objects.get()


@pytest.fixture
def report(people, household, receiving):
    return checks.request_check(people["township_clerk"], household.pk, TODAY)


def status(client, user, url: str) -> int:
    client.force_login(user)
    return client.get(url).status_code


# ---- each screen for its roles ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("screen", "allowed", "refused"),
    [
        ("inbox", "village_worker", "resident"),
        ("warning", "village_worker", "resident"),
        ("outreach", "village_worker", "resident"),
        ("task", "village_worker", "resident"),
        ("feeds", "township_clerk", "village_worker"),
        ("feed_file", "county_admin", "village_worker"),
        ("reviews", "county_admin", "township_clerk"),
        ("check", "township_clerk", "village_worker"),
        ("check_report", "township_clerk", "village_worker"),
    ],
)
def test_each_screen_renders_for_its_role_and_is_refused_without_the_permission(
    client, clock, people, household, warning, task, report, screen, allowed, refused
):
    file, _ = ingest.receive(
        people["county_admin"], "deaths", "2024-10", "d.csv", csv_of(HEADER, "1,2,3"), TODAY
    )
    url = {
        "inbox": "/monitoring/warnings/",
        "warning": f"/monitoring/warnings/{warning.pk}/",
        "outreach": "/monitoring/outreach/",
        "task": f"/monitoring/outreach/{task.pk}/",
        "feeds": "/monitoring/feeds/",
        "feed_file": f"/monitoring/feeds/{file.pk}/",
        "reviews": "/monitoring/reviews/",
        "check": f"/monitoring/households/{household.pk}/check/",
        "check_report": f"/monitoring/checks/{report.pk}/",
    }[screen]
    village = first_village(TOWNSHIP_A)
    outsider = make_user(refused, village) if refused == "resident" else people[refused]
    assert status(client, people[allowed], url) == 200
    assert status(client, outsider, url) == 403
    client.logout()
    response = client.get(url)
    assert (response.status_code, response.url) == (302, f"/accounts/login/?next={url}")


def test_the_navigation_shows_the_monitoring_screens_by_permission(client, clock, people):
    client.force_login(people["county_admin"])
    page = client.get("/monitoring/warnings/").content.decode()
    assert all(f'href="/monitoring/{s}/"' in page for s in ("warnings", "outreach", "feeds"))
    client.force_login(people["village_worker"])
    page = client.get("/monitoring/warnings/").content.decode()
    assert 'href="/monitoring/outreach/"' in page and 'href="/monitoring/feeds/"' not in page


def test_another_townships_warning_is_not_found(client, clock, warning):
    other = make_user("township_clerk", TOWNSHIP_B)
    client.force_login(other)
    assert client.get(f"/monitoring/warnings/{warning.pk}/").status_code == 404
    data = {"visit-version": 1, "visit-visited_on": "2024-11-04", "visit-note": "x"}
    assert client.post(f"/monitoring/warnings/{warning.pk}/visit/", data).status_code == 404
    assert client.get("/monitoring/warnings/?status=all").context["page"].paginator.count == 0
    warning.refresh_from_db()
    assert (warning.status, warning.version) == ("open", 1)
    assert not AuditEvent.objects.filter(object_type="warning").exists()


def test_another_townships_check_report_is_not_found(client, clock, report):
    client.force_login(make_user("township_clerk", TOWNSHIP_B))
    assert client.get(f"/monitoring/checks/{report.pk}/").status_code == 404


# ---- department files -------------------------------------------------------------------------


def test_uploading_a_file_through_the_form(client, clock, people, household, uploaded):
    client.force_login(people["county_admin"])
    response = upload(client, uploaded)
    file = FeedFile.objects.get()
    assert (response.status_code, response.url) == (302, f"/monitoring/feeds/{file.pk}/")
    assert (
        file.feed,
        file.department,
        file.period,
        file.filename,
        file.received_by,
        file.rows_total,
        file.rows_invalid,
        file.rows_matched,
        file.rows_review,
        file.rows_unmatched,
    ) == ("deaths", "公安", "2024-10", "deaths.csv", people["county_admin"], 4, 1, 1, 1, 1)
    report = client.get(f"/monitoring/feeds/{file.pk}/")
    rows = [(p.row, p.kind, p.column_label) for p in report.context["page"]]
    assert rows == [(4, "unmatched", "身份证号"), (5, "invalid", "身份证号")]
    page = report.content.decode()
    assert "330122********1234" in page and "330122198001011234" not in page
    invalid = client.get(f"/monitoring/feeds/{file.pk}/?kind=invalid")
    assert [p.row for p in invalid.context["page"]] == [5]
    # the same content again is the first receipt
    again = upload(client, uploaded, name="again.csv")
    assert (again.status_code, again.url, FeedFile.objects.count()) == (302, response.url, 1)
    listing = client.get("/monitoring/feeds/")
    assert [f.pk for f in listing.context["page"]] == [file.pk]


def test_a_refused_upload_stores_nothing(client, clock, people, household):
    client.force_login(people["county_admin"])
    response = upload(client, csv_of("身份证号,姓名", "1,2"))
    assert response.status_code == 422
    assert "死亡日期" in response.content.decode()
    response = upload(client, csv_of(HEADER, "1,2,3"), period="2024-13")
    assert (response.status_code, list(response.context["upload_form"].errors)) == (422, ["period"])
    assert (FeedFile.objects.count(), FeedProblem.objects.count()) == (0, 0)
    client.force_login(people["township_clerk"])
    assert upload(client, csv_of(HEADER, "1,2,3")).status_code == 403
    assert FeedFile.objects.count() == 0
    assert not AuditEvent.objects.filter(action="feed.received").exists()


def test_recomputing_raises_the_periods_warnings(client, clock, people, household, receiving):
    head = heads(household)[0]
    client.force_login(people["county_admin"])
    upload(client, csv_of(HEADER, f"{head.id_number},{head.name},2024-10-12"))
    client.force_login(people["township_clerk"])
    assert client.post("/monitoring/feeds/recompute/", {"period": "2024-10"}).status_code == 403
    assert Warning.objects.count() == 0
    client.force_login(people["county_admin"])
    response = client.post("/monitoring/feeds/recompute/", {"period": "2024-10"})
    assert (response.status_code, response.url) == (302, "/monitoring/feeds/")
    assert sorted(Warning.objects.values_list("indicator", "person_id")) == [
        ("earner_died", head.pk),
        ("recipient_died", head.pk),
    ]
    again = client.post("/monitoring/feeds/recompute/", {"period": "2024-10"})
    assert (again.status_code, Warning.objects.count()) == (302, 2)
    bad = client.post("/monitoring/feeds/recompute/", {"period": "2024-13"})
    assert bad.status_code == 422


def test_the_review_queue_accepts_and_rejects(client, clock, people, household, uploaded):
    client.force_login(people["county_admin"])
    upload(client, uploaded)
    review = MatchReview.objects.get()
    page = client.get("/monitoring/reviews/")
    assert [r.pk for r in page.context["page"]] == [review.pk]
    assert "李某" in page.content.decode() and heads(household)[1].name in page.content.decode()
    response = client.post(f"/monitoring/reviews/{review.pk}/", {"decision": "accept"})
    assert (response.status_code, response.url) == (302, "/monitoring/reviews/")
    review.refresh_from_db()
    assert review.status == "accepted"
    assert Fact.objects.filter(person=review.person, row=3).count() == 1
    again = client.post(f"/monitoring/reviews/{review.pk}/", {"decision": "reject"})
    assert again.status_code == 409 and "已被复核" in again.content.decode()
    assert MatchReview.objects.get().status == "accepted"


# ---- warnings ---------------------------------------------------------------------------------


def visit(client, warning, note="家属确认已去世", visited_on="2024-11-04"):
    data = {
        "visit-version": Warning.objects.get(pk=warning.pk).version,
        "visit-visited_on": visited_on,
        "visit-note": note,
    }
    return client.post(f"/monitoring/warnings/{warning.pk}/visit/", data)


def close(client, warning, outcome: str, reason: str):
    data = {
        "close-version": Warning.objects.get(pk=warning.pk).version,
        "close-outcome": outcome,
        "close-reason": reason,
    }
    return client.post(f"/monitoring/warnings/{warning.pk}/close/", data)


def test_the_warning_page_shows_what_raised_it(client, clock, people, household, receiving):
    head = heads(household)[0]
    client.force_login(people["county_admin"])
    upload(client, csv_of(HEADER, f"{head.id_number},{head.name},2024-10-12"))
    client.post("/monitoring/feeds/recompute/", {"period": "2024-10"})
    warning = Warning.objects.get(indicator="recipient_died")
    client.force_login(people["township_clerk"])
    response = client.get(f"/monitoring/warnings/{warning.pk}/")
    facts = [(r["key"], r["value"], r.get("file_id")) for r in response.context["facts"]]
    file = FeedFile.objects.get()
    # the township may not open the county's file: its name and row, without a link
    assert facts == [("source", "deaths.csv · 2", None), ("died_on", "2024-10-12", None)]
    assert response.context["facts"][1]["label"] == "死亡日期"
    client.force_login(people["county_approver"])
    response = client.get(f"/monitoring/warnings/{warning.pk}/")
    assert response.context["facts"][0]["file_id"] == file.pk
    page = response.content.decode()
    assert "救助对象死亡" in page and head.name in page and head.id_number not in page
    assert [a for a, _label, _form in response.context["forms"]] == ["assign", "visit"]


def test_assign_visit_and_close_through_the_forms(client, clock, people, warning):
    reviewer, village = people["township_reviewer"], people["village_worker"]
    client.force_login(reviewer)
    page = client.get(f"/monitoring/warnings/{warning.pk}/")
    choices = [code for code, _name in page.context["forms"][0][2].fields["region"].choices]
    assert choices[0] == TOWNSHIP_A and village.region_id in choices
    data = {"assign-version": 1, "assign-region": village.region_id}
    response = client.post(f"/monitoring/warnings/{warning.pk}/assign/", data)
    assert (response.status_code, response.url) == (302, f"/monitoring/warnings/{warning.pk}/")
    client.force_login(village)
    assert visit(client, warning).status_code == 302
    warning.refresh_from_db()
    assert (warning.status, warning.assigned_to_id, warning.visited_on) == (
        "verified",
        village.region_id,
        TODAY,
    )
    # the township may not stop aid for a death: the refusal lands on the form and changes nothing
    clerk = people["township_clerk"]
    client.force_login(clerk)
    refused = close(client, warning, "exclude", "死亡")
    assert refused.status_code == 403 and "县级审批" in refused.content.decode()
    warning.refresh_from_db()
    assert (warning.status, Case.objects.get().status) == ("verified", Status.APPROVED)
    response = close(client, warning, "false_alarm", "同名误报")
    assert response.status_code == 302
    warning.refresh_from_db()
    assert (warning.status, warning.outcome, warning.outcome_reason) == (
        "closed",
        "false_alarm",
        "同名误报",
    )
    assert Case.objects.get().status == Status.APPROVED


def test_a_stale_or_invalid_form_changes_nothing(client, clock, people, warning):
    client.force_login(people["township_clerk"])
    empty = visit(client, warning, note=" ")
    posted = {action: form for action, _label, form in empty.context["forms"]}["visit"]
    assert (empty.status_code, list(posted.errors)) == (422, ["note"])
    future = visit(client, warning, visited_on="2024-11-05")
    assert future.status_code == 422 and "晚于今天" in future.content.decode()
    early = close(client, warning, "assist", "帮扶")
    assert early.status_code == 409
    stale = client.post(
        f"/monitoring/warnings/{warning.pk}/visit/",
        {"visit-version": 7, "visit-visited_on": "2024-11-04", "visit-note": "x"},
    )
    assert stale.status_code == 409
    viewer = people["city_viewer"]
    client.force_login(viewer)
    refused = visit(client, warning)
    assert refused.status_code == 403 and 'id="action-error"' in refused.content.decode()
    warning.refresh_from_db()
    assert (warning.status, warning.version) == ("open", 1)
    assert not AuditEvent.objects.filter(object_type="warning").exists()


def test_the_inbox_filters_and_figures(client, clock, people, household, receiving):
    head, spouse = heads(household)
    died = raise_one(head, died_on="2024-10-12")  # red, due 2024-11-11
    raise_one(head, "age_60", "yellow", age=60)  # due 2024-12-02
    raise_one(spouse, "unemployed", "yellow", status="unemployed")
    clerk = people["township_clerk"]
    services.record_visit(clerk, died.pk, 1, TODAY, "核实", TODAY)
    services.close(clerk, died.pk, 2, "false_alarm", "误报")
    client.force_login(clerk)

    def count(query: str = "") -> int:
        return client.get(f"/monitoring/warnings/?{query}").context["page"].paginator.count

    assert (count(), count("status=all"), count("status=closed")) == (2, 3, 1)
    assert (count("status=all&severity=red"), count("severity=yellow")) == (1, 2)
    assert (count("indicator=age_60"), count("status=all&indicator=unemployed")) == (1, 1)
    assert count("period=2024-09") == 0
    assert count("status=all&overdue=on") == 0
    clock.today = date(2024, 12, 3)
    assert (count("status=all&overdue=on"), count("overdue=on&severity=red")) == (2, 0)
    kpis = client.get("/monitoring/warnings/").context["kpis"]
    assert kpis == {
        "total": 3,
        "closed": 1,
        "rate": Decimal("33.3"),
        "median_days": Decimal("0.0"),
        "overdue": 2,
    }
    page = client.get("/monitoring/warnings/?status=all").content.decode()
    assert page.count('data-severity="yellow"') == 2 and page.count('data-severity="red"') == 1


# ---- 政策找人 and 核对 ------------------------------------------------------------------------


def test_outreach_list_and_finish(client, clock, people, task):
    client.force_login(people["village_worker"])

    def count(query: str = "") -> int:
        return client.get(f"/monitoring/outreach/?{query}").context["page"].paginator.count

    assert (count(), count("status=applied"), count("status=all")) == (1, 0, 1)
    refused = client.post(f"/monitoring/outreach/{task.pk}/", {"outcome": "refused", "note": ""})
    assert refused.status_code == 422 and "请填写走访情况" in refused.content.decode()
    response = client.post(
        f"/monitoring/outreach/{task.pk}/", {"outcome": "refused", "note": "不愿申请"}
    )
    assert (response.status_code, response.url) == (302, f"/monitoring/outreach/{task.pk}/")
    task.refresh_from_db()
    assert (task.status, task.note) == ("refused", "不愿申请")
    assert (count(), count("status=refused")) == (0, 1)
    again = client.post(f"/monitoring/outreach/{task.pk}/", {"outcome": "applied", "note": ""})
    assert again.status_code == 409


def test_a_check_without_consent_is_refused(client, clock, people, household):
    cases.apply(people["village_worker"], household.pk, "dibao", TODAY)
    client.force_login(people["township_clerk"])
    response = client.post(f"/monitoring/households/{household.pk}/check/")
    assert response.status_code == 403 and "核对授权" in response.content.decode()
    assert CheckReport.objects.count() == 0
    assert AuditEvent.objects.filter(action="check.refused").count() == 1


def test_a_consented_check_shows_its_report(client, clock, people, household, receiving):
    head = heads(household)[0]
    ingest.receive(
        people["county_admin"],
        "income_tax",
        "2024-10",
        "tax.csv",
        csv_of("身份证号,姓名,月收入额,已缴税额", f"{head.id_number},{head.name},2500.00,12.50"),
        TODAY,
    )
    client.force_login(people["township_clerk"])
    response = client.post(f"/monitoring/households/{household.pk}/check/")
    report = CheckReport.objects.get()
    assert (response.status_code, response.url) == (302, f"/monitoring/checks/{report.pk}/")
    page = client.get(response.url)
    assert [c for c, _facts in page.context["categories"]] == ["收入"]
    text = page.content.decode()
    assert "月收入额：2500.00 元" in text and "高于申报的 1000.00 元" in text
