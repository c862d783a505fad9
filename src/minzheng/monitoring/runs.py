"""The monthly monitoring run of a region: ingest the period's department files from an inbox,
then indicators → warnings, then 政策找人 screening → outreach tasks.

Each stage is idempotent (a file's content is received once, warnings and tasks are unique per
period) and its completion is recorded, so a run that crashed resumes at the stage it did not
finish, and a finished run re-run changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from minzheng.accounts.permissions import require_permission
from minzheng.monitoring import feeds
from minzheng.monitoring.errors import Error
from minzheng.monitoring.ingest import PERIOD, ingest_file
from minzheng.monitoring.models import MonitorRun
from minzheng.monitoring.outreach import candidates, create_tasks, known_pairs
from minzheng.monitoring.reading import FeedRefused
from minzheng.monitoring.services import raise_warnings
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.rules.engines import runner_of
from minzheng.rules.publication import effective_tree

SUFFIXES = (".csv", ".xlsx", ".parquet")
Progress = Callable[[str], None]


def monitor(
    region_code: str,
    period: str,
    today: date,
    inbox: Path | None = None,
    progress: Progress = lambda message: None,
    again: bool = False,
    actor=None,
    engine: str = "polars",
) -> MonitorRun:
    """`actor` is the user who asked from a screen (checked and recorded); None for the
    command run by the operator. `engine` "spark" reads and matches the files, raises the
    indicators and screens the households on Spark (minzheng/batch/spark/), with the same
    results."""
    if actor is not None:
        require_permission(actor, "monitoring.ingest_feed", Error.RUN_NOT_PERMITTED)
        if not actor.region_id or not region_code.startswith(codes.prefix_of(actor.region_id)):
            raise Error.RUN_OUTSIDE_REGION.error()
    if not PERIOD.match(period):
        raise Error.BAD_PERIOD.error(field="period")
    region = Region.objects.get(code=codes.normalize_code(region_code))
    run, _ = MonitorRun.objects.get_or_create(period=period, region=region)
    if again:
        run.stage = "ingest"
    if run.stage == "done":
        finished = timezone.localtime(run.finished_at)
        progress(f"{period} 的监测已于 {finished:%Y-%m-%d %H:%M} 完成，无需重跑")
        return run
    context = Context(region, period, today, inbox, progress, actor, runner_of(engine))
    for stage in list(STAGES)[list(STAGES).index(run.stage) :]:
        progress(f"阶段：{STAGE_LABELS[stage]}")
        counts = STAGES[stage](context)
        following = MonitorRun.STAGES[MonitorRun.STAGES.index(stage) + 1]
        run.counts = run.counts | counts
        run.stage = following
        run.finished_at = timezone.now() if following == "done" else None
        run.save(update_fields=["counts", "stage", "finished_at"])
    return run


STAGE_LABELS = {"ingest": "导入部门数据", "indicators": "计算预警指标", "screening": "政策找人"}
COUNT_LABELS = {
    "files_received": "收到文件",
    "files_repeated": "已导入过的文件",
    "files_refused": "拒收文件",
    "warnings_found": "指标命中",
    "warnings_new": "新增预警",
    "outreach_found": "符合条件未享受",
    "outreach_new": "新增找人任务",
}


@dataclass(frozen=True)
class Context:
    """What every stage of a run reads."""

    region: Region
    period: str
    today: date
    inbox: Path | None
    progress: Progress
    actor: object
    runner: object  # a runner of rules/engines.py (batch/runners.py)


def _ingest(context: Context) -> dict:
    inbox, progress = context.inbox, context.progress
    files = sorted(p for p in inbox.iterdir() if p.suffix.lower() in SUFFIXES) if inbox else []
    received = repeated = refused = 0
    for number, path in enumerate(files, 1):
        feed = feed_of(path)
        if feed is None:
            progress(f"[{number}/{len(files)}] 跳过 {path.name}：文件名不以数据源代码开头")
            refused += 1
            continue
        try:
            with transaction.atomic():
                file, created = ingest_file(
                    context.region,
                    feed,
                    context.period,
                    path.name,
                    path.read_bytes(),
                    context.today,
                    runner=context.runner,
                )
        except FeedRefused as exc:
            progress(f"[{number}/{len(files)}] 拒收 {path.name}：{exc.message}")
            refused += 1
            continue
        received, repeated = received + created, repeated + (not created)
        progress(
            f"[{number}/{len(files)}] {path.name}：{file.rows_total} 行，匹配 {file.rows_matched}，"
            f"待复核 {file.rows_review}，未匹配 {file.rows_unmatched}，无效 {file.rows_invalid}"
            + ("" if created else "（已导入过）")
        )
    return {"files_received": received, "files_repeated": repeated, "files_refused": refused}


def feed_of(path: Path) -> str | None:
    """The feed a file belongs to by its name: deaths_2024-09.csv → deaths (longest code wins)."""
    matching = [code for code in feeds.catalogue() if path.stem.startswith(code)]
    return max(matching, key=len) if matching else None


def _first_day(context: Context) -> date:
    return date(int(context.period[:4]), int(context.period[5:]), 1)


def _indicators(context: Context) -> dict:
    context.progress("读取对象库并评估，检测预警指标")
    found = context.runner.indicators(
        context.region.code, context.period, _first_day(context), effective_tree()
    )
    with transaction.atomic():
        new = raise_warnings(
            context.region.code, context.period, found, context.today, actor=context.actor
        )
    context.progress(f"指标命中 {found.height} 条，新增预警 {new} 条")
    return {"warnings_found": found.height, "warnings_new": new}


def _screening(context: Context) -> dict:
    summary = context.runner.region_summary(
        context.region.code, _first_day(context), effective_tree(), context.progress
    )
    found = candidates(summary, known_pairs(context.region.code))
    regions = dict(summary.select("household_id", "region_code").iter_rows())
    with transaction.atomic():
        new = create_tasks(context.region.code, context.period, found, regions, actor=context.actor)
    context.progress(f"政策找人：符合条件未享受 {found.height} 项，新增任务 {new} 项")
    return {"outreach_found": found.height, "outreach_new": new}


STAGES = {"ingest": _ingest, "indicators": _indicators, "screening": _screening}
