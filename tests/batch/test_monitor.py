"""`minzheng monitor --engine spark` stores exactly what the local run stores: the same files'
counts and problems, facts, warnings and 政策找人 tasks."""

from datetime import date

import polars as pl
import pytest
from django.core.management import call_command

from minzheng import demo
from minzheng.monitoring import idframe
from minzheng.monitoring.models import (
    Fact,
    FeedFile,
    FeedProblem,
    MatchReview,
    MonitorRun,
    OutreachTask,
    Warning,
)
from minzheng.registry import bulk
from minzheng.registry.synthetic import generate

TODAY = date(2024, 11, 4)


@pytest.fixture
def inbox(regions, tmp_path):
    population = generate(
        demo.county_villages(demo.DEMO_COUNTY), households=150, seed=5, today=date(2024, 6, 30)
    )
    bulk.write_population(population)
    people = population.persons.select("id_number", "name").rows()
    deaths = [f"{n},{name},2024-10-{3 + i:02d}" for i, (n, name) in enumerate(people[:4])]
    outsider = pl.select(idframe.from_body(pl.lit("11010519491231002"))).item()
    deaths += [f"{people[5][0]},另一个名字,2024-10-20", f"{outsider},外省人,2024-10-21"]
    deaths += ["33012219900101001X,坏号码,2024-10-22", f"{people[6][0]},,2024-13-01"]
    medical = [
        f"{n},{name},{20000 + i}.00,{9000 + 700 * i}.00,是"
        for i, (n, name) in enumerate(people[10:40])
    ]
    medical.append(medical[0].replace("是", "否"))  # the same person twice: a duplicate
    (tmp_path / "deaths_2024-10.csv").write_bytes(_csv("身份证号,姓名,死亡日期", deaths))
    (tmp_path / "medical_2024-10.csv").write_bytes(
        _csv("身份证号,姓名,近12个月医疗总费用,近12个月个人自付累计,大病或慢特病", medical)
    )
    return tmp_path


def _csv(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _stored() -> dict:
    files = FeedFile.objects.order_by("feed")
    return {
        "files": list(
            files.values_list(
                "feed",
                "rows_total",
                "rows_invalid",
                "rows_matched",
                "rows_review",
                "rows_unmatched",
            )
        ),
        "problems": sorted(
            FeedProblem.objects.values_list(
                "file__feed", "kind", "row", "column", "reason", "masked_id"
            )
        ),
        "facts": sorted(Fact.objects.values_list("person_id", "feed", "row", "values"), key=repr),
        "reviews": sorted(MatchReview.objects.values_list("row", "person_id", "name_in_file")),
        "warnings": sorted(
            (indicator, person, _by_feed(detail), due)
            for indicator, person, detail, due in Warning.objects.values_list(
                "indicator", "person_id", "detail", "due_on"
            )
        ),
        "tasks": sorted(OutreachTask.objects.values_list("household_id", "program", "amount_fen")),
        "counts": MonitorRun.objects.get().counts,
    }


def _by_feed(detail: dict) -> str:
    """A warning's detail with its source file named by feed (file ids differ between runs)."""
    feeds = dict(FeedFile.objects.values_list("id", "feed"))
    if "source" in detail:
        file, row = detail["source"].split(":")
        detail = detail | {"source": f"{feeds[int(file)]}:{row}"}
    return repr(sorted(detail.items()))


def _forget_the_run() -> None:
    for model in (Warning, OutreachTask, MatchReview, Fact, FeedProblem, FeedFile, MonitorRun):
        model.objects.all().delete()


def test_the_spark_run_stores_what_the_local_run_stores(spark, inbox):
    args = ["monitor", "--period", "2024-10", "--region", demo.DEMO_COUNTY, "--inbox", str(inbox)]
    call_command(*args, "--date", TODAY.isoformat())
    local = _stored()
    _forget_the_run()
    assert not Warning.objects.exists() and not FeedFile.objects.exists()
    call_command(*args, "--date", TODAY.isoformat(), "--engine", "spark")
    on_spark = _stored()
    assert on_spark == local
    # What both found, so that the agreement means something.
    assert local["files"] == [("deaths", 8, 2, 4, 1, 1), ("medical", 31, 1, 30, 0, 0)]
    raised = pl.Series([w[0] for w in local["warnings"]]).value_counts(sort=True)
    # self-paid 9,000 + 700·i yuan reaches the 10,000 threshold from i = 2: 28 of 30 persons.
    assert dict(raised.iter_rows()) == {"medical_high": 28, "earner_died": 2}
    assert len(local["tasks"]) == local["counts"]["outreach_new"] > 0
    assert pl.Series([p[4] for p in local["problems"]]).str.contains("重复").sum() == 1
