"""The indicators on Spark find exactly what the local run finds — recipients' deaths, an
undeclared vehicle, department income over the line, high medical costs — from the files the
driver writes and, on PostgreSQL, from the database read over JDBC."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from django.db import connection
from polars.testing import assert_frame_equal

from minzheng import demo
from minzheng.batch.local import LocalRunner
from minzheng.batch.spark import indicators as distributed
from minzheng.batch.spark import jdbc
from minzheng.batch.spark import screening as distributed_screening
from minzheng.monitoring.ingest import ingest_file
from minzheng.regions.models import Region
from minzheng.registry import bulk
from minzheng.registry.models import Asset, IncomeItem
from minzheng.registry.snapshot import SCHEMAS, snapshot
from minzheng.registry.synthetic import generate
from minzheng.rules.publication import effective_tree
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user
from tests.monitoring.conftest import approve_dibao, csv_of

COUNTY = demo.DEMO_COUNTY
PERIOD, FIRST_DAY, TODAY = "2024-10", date(2024, 10, 1), date(2024, 11, 4)
POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="JDBC reads PostgreSQL")


def _county_with_findings() -> dict[str, int]:
    """150 synthetic households and one receiving 低保, with the period's department files."""
    village = first_village(TOWNSHIP_A)
    villages = [v for v in demo.county_villages(COUNTY) if v.code != village]  # numbers apart
    bulk.write_population(generate(villages, households=150, seed=7, today=date(2024, 6, 30)))
    home = make_household(village, members=3)
    first, second, third = home.members.order_by("id")
    IncomeItem.objects.create(person=first, category="wage", period="monthly", amount=Decimal(900))
    people = {
        role: make_user(role, region)
        for role, region in (
            ("village_worker", first_village(TOWNSHIP_A)),
            ("township_clerk", TOWNSHIP_A),
            ("township_reviewer", TOWNSHIP_A),
            ("county_approver", COUNTY),
        )
    }
    approve_dibao(people, home)
    Asset.objects.create(household=home, kind="vehicle", registration="浙A00001")  # declared since
    others = home.members.model.objects.exclude(household=home).order_by("id")[:12]
    rows = [(person.id_number, person.name) for person in others]
    files = {
        "deaths": csv_of(
            "身份证号,姓名,死亡日期",
            f"{first.id_number},{first.name},2024-10-05",
            *(f"{n},{name},2024-10-{10 + i}" for i, (n, name) in enumerate(rows[:3])),
        ),
        "vehicles": csv_of(
            "身份证号,姓名,号牌号码,车辆类型,登记日期",
            f"{second.id_number},{second.name},浙A00001,小型汽车,2024-10-02",  # declared
            f"{second.id_number},{second.name},浙A99999,小型汽车,2024-10-03",  # not declared
        ),
        "income_tax": csv_of(
            "身份证号,姓名,月收入额,已缴税额", f"{third.id_number},{third.name},8000,120"
        ),
        "medical": csv_of(
            "身份证号,姓名,近12个月医疗总费用,近12个月个人自付累计,大病或慢特病",
            *(
                f"{n},{name},{30000 + i}.00,{8000 + 1000 * i}.00,是"
                for i, (n, name) in enumerate(rows[3:9])
            ),
        ),
    }
    county = Region.objects.get(code=COUNTY)
    for feed, content in files.items():
        ingest_file(county, feed, PERIOD, f"{feed}_{PERIOD}.csv", content, TODAY)
    return {"recipient": first.pk, "vehicle_owner": second.pk, "earner": third.pk}


def _counts(found: pl.DataFrame) -> dict[str, int]:
    return dict(found["indicator"].value_counts(sort=True).iter_rows())


def _local() -> pl.DataFrame:
    local = LocalRunner().indicators(COUNTY, PERIOD, FIRST_DAY, effective_tree())
    return local.cast(distributed.FOUND_SCHEMA).sort("indicator", "person_id")


def test_indicators_on_spark_find_what_the_local_run_finds(spark, regions):
    who = _county_with_findings()
    local = _local()
    on_spark = distributed.run(spark, COUNTY, PERIOD, FIRST_DAY, effective_tree(), partitions=5)
    assert_frame_equal(on_spark, local)
    # What both found, so that the agreement means something: the recipient's death (he and two
    # of the three others who died had income), the undeclared vehicle, income over the line,
    # self-paid costs of 10,000 yuan and more (8,000 + 1,000·i: four of six).
    assert _counts(local) == {
        "medical_high": 4,
        "earner_died": 3,
        "recipient_died": 1,
        "vehicle_acquired": 1,
        "income_over_standard": 1,
    }
    flagged = dict(local.select("indicator", "person_id").iter_rows())
    assert (flagged["recipient_died"], flagged["vehicle_acquired"]) == (
        who["recipient"],
        who["vehicle_owner"],
    )
    assert (
        '"plate":"浙A99999"' in local.filter(pl.col("indicator") == "vehicle_acquired")["detail"][0]
    )


def test_no_findings_on_spark_is_an_empty_frame(spark, regions):
    on_spark = distributed.run(spark, COUNTY, PERIOD, FIRST_DAY, effective_tree(), partitions=3)
    assert on_spark.height == 0 and on_spark.schema == pl.Schema(distributed.FOUND_SCHEMA)


@POSTGRES
def test_over_jdbc_spark_reads_the_registry_and_facts_the_driver_reads(
    spark, transactional_regions, settings
):
    who = _county_with_findings()
    settings.SPARK_JDBC = True
    # the registry tables read by Spark are the snapshot's, row for row
    tables = jdbc.registry_tables(spark, COUNTY, partitions=4)
    shot = snapshot(COUNTY)
    for name, schema in SCHEMAS.items():
        read = pl.from_arrow(tables[name].toArrow()).select(list(schema)).cast(schema)
        key = [c for c in ("person_id", "household_id", "kind", "period") if c in schema]
        expected = getattr(shot, name)
        assert_frame_equal(read.sort(key), expected.sort(key), check_row_order=False)
    assert shot.households.height == 151
    # the indicators and the screening over JDBC equal the local run
    local = _local()
    on_spark = distributed.run(spark, COUNTY, PERIOD, FIRST_DAY, effective_tree(), partitions=4)
    assert_frame_equal(on_spark, local)
    assert _counts(local)["recipient_died"] == 1 and who["recipient"] in local["person_id"]
    summary = LocalRunner().region_summary(COUNTY, FIRST_DAY, effective_tree(), print)
    over_jdbc = distributed_screening.run_region(
        spark, COUNTY, FIRST_DAY, effective_tree(), 4, print
    )
    assert_frame_equal(over_jdbc, summary)
