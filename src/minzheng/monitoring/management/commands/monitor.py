import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minzheng.kit.errors import DomainError
from minzheng.monitoring.runs import COUNT_LABELS, monitor
from minzheng.regions.models import Region
from minzheng.rules.engines import NAMES


class Command(BaseCommand):
    help = (
        "低收入人口动态监测: ingest the period's department files, raise warnings and create "
        "政策找人 tasks for a region (idempotent; a crashed run resumes where it stopped)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--region", required=True, help="region code (any level)")
        parser.add_argument("--inbox", type=Path, help="directory of department files")
        parser.add_argument("--date", type=date.fromisoformat, default=date.today())
        parser.add_argument(
            "--again", action="store_true", help="run every stage again (adds only what is new)"
        )
        parser.add_argument(
            "--engine",
            choices=NAMES,
            default="polars",
            help="polars: this process; spark: every computing stage on Apache Spark",
        )

    def handle(self, *args, period, region, inbox, date, again, engine, **options):
        if inbox is not None and not inbox.is_dir():
            raise CommandError(f"目录不存在：{inbox}")
        started = time.perf_counter()
        try:
            run = monitor(region, period, date, inbox, self._progress, again=again, engine=engine)
        except Region.DoesNotExist:
            raise CommandError(f"区划代码不存在：{region}") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        summary = "，".join(f"{COUNT_LABELS.get(k, k)} {v}" for k, v in run.counts.items())
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"{period} 监测完成：{summary}；用时 {seconds:.1f} 秒")
        )

    def _progress(self, message: str) -> None:
        self.stdout.write(f"… {message}")
        self.stdout.flush()
