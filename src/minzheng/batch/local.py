"""The local runner: every batch step in this process, with Polars. It is also what the Spark
jobs run per partition and fall back to when there is nothing to distribute (spark/)."""

from datetime import date

import polars as pl
from django.conf import settings

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


def with_numbers(households: pl.DataFrame, summary: pl.DataFrame) -> pl.DataFrame:
    """The summary with each household's number and region, in household order."""
    homes = households.select("household_id", "number", "region_code")
    return homes.join(summary, on="household_id", how="left").sort("household_id")
