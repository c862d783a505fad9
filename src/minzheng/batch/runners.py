"""Where a batch job computes: this process (Polars) or Apache Spark. Both runners offer the
same steps — reading a department file, matching its rows with the registry, a region's
screening summary and its indicators' findings; each Spark step runs the local code per
partition (batch/spark/), and tests hold the results equal.

Jobs pick a runner by name through rules/engines.py, where batch/apps.py registers these two
when Django starts. The Spark modules are imported only when a Spark runner is made: they need
PySpark and PyArrow (the `spark` extra), and the package sets Django up on executors."""

from datetime import date

from minzheng.batch.local import LocalRunner
from minzheng.monitoring.matching import Matched
from minzheng.monitoring.reading import Read


class SparkRunner:
    """Apache Spark (settings' master): the same reader checks and rules per partition."""

    def __init__(self) -> None:
        from minzheng.batch.spark.session import partitions, session

        self.spark = session()
        self.partitions = partitions(self.spark)

    def read_feed(self, feed, filename: str, content: bytes, today: date) -> Read:
        from minzheng.batch.spark import feeds

        return feeds.read_feed(self.spark, feed, filename, content, today, self.partitions)

    def match(self, rows, persons, supporters) -> Matched:
        from minzheng.batch.spark import feeds

        return feeds.match(self.spark, rows, persons, supporters, self.partitions)

    def summary(self, frames, as_of: date, tree: dict, progress=lambda message: None):
        from minzheng.batch.spark import screening

        return screening.run(frames, as_of, tree, progress)

    def region_summary(self, region_code: str, as_of: date, tree: dict, progress):
        from minzheng.batch.spark import screening

        parts = self.partitions
        return screening.run_region(self.spark, region_code, as_of, tree, parts, progress)

    def indicators(self, region_code: str, period: str, as_of: date, tree: dict):
        from minzheng.batch.spark import indicators

        return indicators.run(self.spark, region_code, period, as_of, tree, self.partitions)


ENGINES = {"polars": LocalRunner, "spark": SparkRunner}
