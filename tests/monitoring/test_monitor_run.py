"""The monthly run: inbox → facts → warnings → outreach; idempotent, and resumable after a
crash at any stage."""

from datetime import date

import pytest

from minzheng.monitoring import runs
from minzheng.monitoring.models import Fact, FeedFile, MonitorRun, OutreachTask, Warning
from tests.factories import TOWNSHIP_A, first_village, make_household
from tests.monitoring.conftest import csv_of

COUNTY = "330122000000"
TODAY = date(2024, 11, 4)


@pytest.fixture
def inbox(tmp_path, household, receiving):
    head = household.members.order_by("id").first()
    (tmp_path / "deaths_2024-10.csv").write_bytes(
        csv_of("身份证号,姓名,死亡日期", f"{head.id_number},{head.name},2024-10-12")
    )
    (tmp_path / "unknown_feed.csv").write_bytes(b"a,b\n1,2\n")
    (tmp_path / "medical_2024-10.csv").write_bytes(b"id,name\n1,2\n")  # refused whole
    (tmp_path / "notes.txt").write_text("ignored")
    return tmp_path


@pytest.fixture
def unreached(regions):
    """A household with no income and no case: the rules find it eligible for 低保."""
    return make_household(first_village(TOWNSHIP_A), members=2)


def warnings_of(household):
    return sorted(Warning.objects.filter(household=household).values_list("indicator", "severity"))


def test_a_run_raises_warnings_and_outreach_once(inbox, household, unreached):
    messages = []
    run = runs.monitor(COUNTY, "2024-10", TODAY, inbox, messages.append)
    assert run.stage == "done" and run.finished_at is not None
    assert run.counts["files_received"] == 1 and run.counts["files_refused"] == 2
    assert warnings_of(household) == [("earner_died", "orange"), ("recipient_died", "red")]
    died = Warning.objects.get(indicator="recipient_died")
    assert died.detail["died_on"] == "2024-10-12" and died.due_on == date(2024, 11, 11)
    assert died.region_id == household.region_id
    assert OutreachTask.objects.filter(household=household, program="dibao").count() == 0
    task = OutreachTask.objects.get(household=unreached, program="dibao")
    assert (task.period, task.status, task.region_id) == ("2024-10", "open", unreached.region_id)
    assert any("拒收 medical_2024-10.csv" in m for m in messages)
    counts = (
        FeedFile.objects.count(),
        Fact.objects.count(),
        Warning.objects.count(),
        OutreachTask.objects.count(),
    )

    again = runs.monitor(COUNTY, "2024-10", TODAY, inbox, messages.append)
    assert again.pk == run.pk and "无需重跑" in messages[-1]
    runs.monitor(COUNTY, "2024-10", TODAY, inbox, messages.append, again=True)
    assert (
        FeedFile.objects.count(),
        Fact.objects.count(),
        Warning.objects.count(),
        OutreachTask.objects.count(),
    ) == counts
    assert MonitorRun.objects.get().counts["warnings_new"] == 0


def test_a_run_that_crashed_resumes_at_the_unfinished_stage(
    inbox, household, unreached, monkeypatch
):
    def crash(*args):
        raise RuntimeError("killed")

    monkeypatch.setitem(runs.STAGES, "screening", crash)
    with pytest.raises(RuntimeError):
        runs.monitor(COUNTY, "2024-10", TODAY, inbox)
    run = MonitorRun.objects.get()
    assert run.stage == "screening" and run.finished_at is None
    assert (FeedFile.objects.count(), Warning.objects.count(), OutreachTask.objects.count()) == (
        1,
        2,
        0,
    )
    monkeypatch.undo()

    ingested = []
    monkeypatch.setitem(runs.STAGES, "ingest", lambda *a: ingested.append(1) or {})
    run = runs.monitor(COUNTY, "2024-10", TODAY, inbox)
    assert (run.stage, ingested) == ("done", [])  # the finished stages were not run again
    assert (FeedFile.objects.count(), Warning.objects.count()) == (1, 2)
    assert OutreachTask.objects.filter(household=unreached, program="dibao").count() == 1


def test_feed_of_takes_the_longest_catalogue_code(tmp_path):
    assert runs.feed_of(tmp_path / "hukou_moves_2024-10.xlsx") == "hukou_moves"
    assert runs.feed_of(tmp_path / "deaths.csv") == "deaths"
    assert runs.feed_of(tmp_path / "report.csv") is None


def test_registry_dates_raise_warnings_without_any_file(household, receiving):
    """The approved case is due for 复核 on 2025-11-01: November's run flags it on the head."""
    run = runs.monitor(COUNTY, "2025-11", date(2025, 11, 3))
    head = household.members.order_by("id").first()
    warning = Warning.objects.get()
    assert (warning.indicator, warning.person_id, warning.severity) == (
        "review_due",
        head.pk,
        "yellow",
    )
    assert warning.detail == {
        "case_number": receiving.number,
        "program": "dibao",
        "next_review_on": "2025-11-01",
    }
    assert run.counts["files_received"] == 0
