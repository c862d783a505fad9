"""The Spark runner and the local Polars runner give the same screening, row for row."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from polars.testing import assert_frame_equal

from minzheng import demo
from minzheng.batch.spark import packing
from minzheng.batch.spark import screening as distributed
from minzheng.registry import bulk
from minzheng.registry.models import Asset, Household, Supporter
from minzheng.registry.snapshot import snapshot
from minzheng.registry.synthetic import generate
from minzheng.rules.evaluate import evaluate
from minzheng.rules.explain import household_summary
from minzheng.rules.facts import frames_of
from minzheng.rules.screening import parameters, screen_region

AS_OF = date(2024, 8, 1)


@pytest.fixture
def county(regions):
    """300 synthetic households, some with deposits, a vehicle or a legal supporter."""
    population = generate(
        demo.county_villages(demo.DEMO_COUNTY), households=300, seed=11, today=date(2024, 6, 30)
    )
    bulk.write_population(population)
    homes = list(Household.objects.order_by("id")[:40])
    for i, home in enumerate(homes):
        kind = "vehicle" if i % 4 == 0 else "deposit"
        Asset.objects.create(household=home, kind=kind, value=Decimal(20_000 + 5_000 * i))
    for home in homes[:5]:
        Supporter.objects.create(
            household=home,
            name="赡养人",
            duty="elders",
            relation="子女",
            monthly_income=Decimal("6000.00"),
        )
    return population


def test_spark_and_polars_agree_on_every_household(spark, county):
    local = screen_region(demo.DEMO_COUNTY, AS_OF)
    on_spark = screen_region(demo.DEMO_COUNTY, AS_OF, engine="spark")
    assert on_spark.height == local.height == 300
    assert_frame_equal(on_spark, local)
    # Not a trivial agreement: programs are found and paid in this county.
    assert local["dibao_eligible"].sum() > 0
    assert local["elderly_members"].sum() > 0
    assert local["dibao_amount_fen"].sum() > 0


def test_more_partitions_than_households(spark, county, tmp_path):
    frames = frames_of(snapshot(demo.DEMO_COUNTY))
    few = packing.write_tables(_first(frames, 3), tmp_path)
    result = distributed.screen(spark, few, AS_OF, parameters(), partitions=16)
    got = pl.from_arrow(result.toArrow()).sort("household_id")
    expected = household_summary(evaluate(_first(frames, 3), AS_OF, parameters()))
    assert got.height == 3
    assert_frame_equal(got, expected)


def test_packing_round_trip_gives_the_snapshot_frames(spark, county, tmp_path):
    frames = frames_of(snapshot(demo.DEMO_COUNTY))
    packed = packing.pack(spark, packing.write_tables(frames, tmp_path), partitions=3)
    back = packing.unpack(pl.from_arrow(packed.toArrow()))
    for name, key in (
        ("households", ["household_id"]),
        ("persons", ["person_id"]),
        ("incomes", ["person_id", "category", "amount_fen"]),
        ("assets", ["household_id", "kind", "value_fen"]),
        ("supporters", ["household_id", "duty", "monthly_income_fen"]),
    ):
        assert_frame_equal(getattr(back, name).sort(key), getattr(frames, name).sort(key))
    assert back.assets.height == 40 and back.supporters.height == 5


def test_screen_command_on_spark_writes_what_polars_writes(spark, county, tmp_path):
    on_spark, local = tmp_path / "spark.csv", tmp_path / "local.csv"
    region, day = demo.DEMO_COUNTY, AS_OF.isoformat()
    call_command(
        "screen", "--region", region, "--date", day, "--out", str(on_spark), "--engine", "spark"
    )
    call_command("screen", "--region", region, "--date", day, "--out", str(local))
    assert on_spark.read_text() == local.read_text()
    assert len(on_spark.read_text().splitlines()) == 301


def test_no_java_is_a_clear_error_and_writes_nothing(county, tmp_path, monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr("minzheng.batch.spark.session.shutil.which", lambda name: None)
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="未找到 Java 运行环境"):
        call_command("screen", "--region", demo.DEMO_COUNTY, "--out", str(out), "--engine", "spark")
    assert not out.exists()


def test_a_malformed_spark_property_is_refused(settings):
    from minzheng.batch.spark.session import SparkUnavailable, _properties

    assert _properties(["spark.executor.memory = 8g"]) == [("spark.executor.memory", "8g")]
    with pytest.raises(SparkUnavailable, match="键=值"):
        _properties(["spark.executor.memory"])


def _first(frames, n: int):
    ids = frames.households["household_id"].sort().head(n).implode()
    keep = pl.col("household_id").is_in(ids)
    return type(frames)(
        *(getattr(frames, f).filter(keep) for f in ("households", *packing.CHILDREN))
    )
