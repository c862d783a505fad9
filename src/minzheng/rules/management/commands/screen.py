import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minzheng.rules.parameters import ParameterNotFound
from minzheng.rules.screening import screen_region


class Command(BaseCommand):
    help = "政策找人: evaluate every household of a region and write the results (Parquet or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="region code (any level)")
        parser.add_argument("--date", type=date.fromisoformat, default=date.today())
        parser.add_argument("--out", type=Path, required=True, help="file.parquet or file.csv")

    def handle(self, *args, region: str, date: date, out: Path, **options):
        if out.suffix not in (".parquet", ".csv"):
            raise CommandError("输出文件应以 .parquet 或 .csv 结尾。")
        started = time.perf_counter()
        try:
            result = screen_region(region, date, progress=lambda m: self.stdout.write(f"… {m}"))
        except (ValueError, ParameterNotFound) as exc:
            raise CommandError(str(exc)) from None
        if out.suffix == ".parquet":
            result.write_parquet(out)
        else:
            result.write_csv(out)
        eligible = int(result["dibao_eligible"].sum() or 0)
        edge = int(result["dibao_edge_eligible"].sum() or 0)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已评估 {result.height} 户：低保 {eligible} 户，低保边缘 {edge} 户；"
                f"用时 {seconds:.1f} 秒；结果写入 {out}"
            )
        )
