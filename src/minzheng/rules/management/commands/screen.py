import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minzheng.kit.errors import DomainError
from minzheng.rules.engines import NAMES
from minzheng.rules.parameters import ParameterNotFound
from minzheng.rules.screening import screen_region

SUMMARY = (
    ("低保", "dibao_eligible", "户"),
    ("低保边缘", "dibao_edge_eligible", "户"),
    ("特困", "tekun_members", "人"),
    ("孤儿和事实无人抚养儿童", "child_allowance_members", "人"),
    ("残疾人生活补贴", "disability_living_members", "人"),
    ("护理补贴", "disability_nursing_members", "人"),
    ("高龄津贴", "elderly_members", "人"),
    ("刚性支出困难", "rigid_eligible", "户"),
)


class Command(BaseCommand):
    help = "政策找人: evaluate every household of a region and write the results (Parquet or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="region code (any level)")
        parser.add_argument("--date", type=date.fromisoformat, default=date.today())
        parser.add_argument("--out", type=Path, required=True, help="file.parquet or file.csv")
        parser.add_argument(
            "--engine",
            choices=NAMES,
            default="polars",
            help="polars: this process; spark: Apache Spark (settings' MINZHENG_SPARK_MASTER)",
        )

    def handle(self, *args, region: str, date: date, out: Path, engine: str, **options):
        if out.suffix not in (".parquet", ".csv"):
            raise CommandError("输出文件应以 .parquet 或 .csv 结尾。")
        started = time.perf_counter()
        try:
            result = screen_region(
                region, date, progress=lambda m: self.stdout.write(f"… {m}"), engine=engine
            )
        except (ValueError, ParameterNotFound, DomainError) as exc:
            raise CommandError(str(exc)) from None
        if out.suffix == ".parquet":
            result.write_parquet(out)
        else:
            result.write_csv(out)
        counts = "，".join(
            f"{label} {int(result[column].sum() or 0)} {unit}"
            for label, column, unit in SUMMARY
            if column in result.columns
        )
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已评估 {result.height} 户：{counts}；用时 {seconds:.1f} 秒；结果写入 {out}"
            )
        )
