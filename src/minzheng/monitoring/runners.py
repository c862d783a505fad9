"""Where a batch job computes: this process (Polars) or Apache Spark. Both runners offer the
same steps — reading a department file, matching its rows with the registry, a region's
screening summary and its indicators' findings; each Spark step runs the local code per
partition (minzheng/distributed/), and tests hold the results equal."""

from datetime import date

import polars as pl
from django.conf import settings

from minzheng.kit.errors import ValidationFailed
from minzheng.monitoring.indicators import detect_all
from minzheng.monitoring.inputs import gather
from minzheng.monitoring.matching import Matched, match
from minzheng.monitoring.reading import Read, read_feed
from minzheng.registry.snapshot import snapshot
from minzheng.rules.evaluate import evaluate
from minzheng.rules.explain import household_summary
from minzheng.rules.facts import frames_of


class LocalRunner:
    """This process, with Polars."""

    def read_feed(self, feed, filename: str, content: bytes, today: date) -> Read:
        return read_feed(feed, filename, content, today)

    def match(self, rows, persons, supporters) -> Matched:
        return match(rows, persons, settings.BLIND_INDEX_KEY, supporters)

    def summary(self, frames, as_of: date, tree: dict, progress=lambda message: None):
        return household_summary(evaluate(frames, as_of, tree))

    def region_summary(self, region_code: str, as_of: date, tree: dict, progress):
        """household_id, number, region_code and the household summary of the region."""
        progress("读取对象库快照")
        shot = snapshot(region_code)
        progress(f"评估 {shot.households.height} 户、{shot.persons.height} 人")
        summary = self.summary(frames_of(shot), as_of, tree, progress)
        return with_numbers(shot.households, summary)

    def indicators(self, region_code: str, period: str, as_of: date, tree: dict):
        """The indicators' findings for the region and period (monitoring.indicators)."""
        evaluation = evaluate(frames_of(snapshot(region_code)), as_of, tree)
        return detect_all(gather(region_code, period, evaluation))


class SparkRunner:
    """Apache Spark (settings' master): the same reader checks and rules per partition."""

    def __init__(self) -> None:
        from minzheng.distributed.session import partitions, session

        self.spark = session()
        self.partitions = partitions(self.spark)

    def read_feed(self, feed, filename: str, content: bytes, today: date) -> Read:
        from minzheng.distributed import feeds as distributed

        return distributed.read_feed(self.spark, feed, filename, content, today, self.partitions)

    def match(self, rows, persons, supporters) -> Matched:
        from minzheng.distributed import feeds as distributed

        return distributed.match(self.spark, rows, persons, supporters, self.partitions)

    def summary(self, frames, as_of: date, tree: dict, progress=lambda message: None):
        from minzheng.distributed import screening as distributed

        return distributed.run(frames, as_of, tree, progress)

    def region_summary(self, region_code: str, as_of: date, tree: dict, progress):
        from minzheng.distributed import screening as distributed

        parts = self.partitions
        return distributed.run_region(self.spark, region_code, as_of, tree, parts, progress)

    def indicators(self, region_code: str, period: str, as_of: date, tree: dict):
        from minzheng.distributed import indicators as distributed

        return distributed.run(self.spark, region_code, period, as_of, tree, self.partitions)


ENGINES = {"polars": LocalRunner, "spark": SparkRunner}


def runner_of(engine: str):
    if engine not in ENGINES:
        raise ValidationFailed(f"未知的计算引擎：{engine}（可选 polars、spark）。", field="engine")
    return ENGINES[engine]()


def with_numbers(households: pl.DataFrame, summary: pl.DataFrame) -> pl.DataFrame:
    """The summary with each household's number and region, in household order."""
    homes = households.select("household_id", "number", "region_code")
    return homes.join(summary, on="household_id", how="left").sort("household_id")
