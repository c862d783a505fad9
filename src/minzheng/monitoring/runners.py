"""Where a monitoring run computes: this process (Polars) or Apache Spark. Both runners
offer the same three steps, reading a department file, matching its rows with the registry,
and the households' screening summary; each Spark step runs the local code per partition
(minzheng/distributed/), and tests hold the results equal."""

from datetime import date

from django.conf import settings

from minzheng.kit.errors import ValidationFailed
from minzheng.monitoring.matching import Matched, match
from minzheng.monitoring.reading import Read, read_feed
from minzheng.rules.evaluate import evaluate
from minzheng.rules.explain import household_summary


class LocalRunner:
    """This process, with Polars."""

    def read_feed(self, feed, filename: str, content: bytes, today: date) -> Read:
        return read_feed(feed, filename, content, today)

    def match(self, rows, persons, supporters) -> Matched:
        return match(rows, persons, settings.BLIND_INDEX_KEY, supporters)

    def summary(self, frames, as_of: date, tree: dict, progress=lambda message: None):
        return household_summary(evaluate(frames, as_of, tree))


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


ENGINES = {"polars": LocalRunner, "spark": SparkRunner}


def runner_of(engine: str):
    if engine not in ENGINES:
        raise ValidationFailed(f"未知的计算引擎：{engine}（可选 polars、spark）。", field="engine")
    return ENGINES[engine]()
