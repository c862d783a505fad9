from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from minzheng import demo
from minzheng.cases.automatic import screen
from minzheng.cases.demo import load_demo_cases
from minzheng.payments.demo import load_demo_payroll
from minzheng.targets.demo import load_demo_targets


class Command(BaseCommand):
    help = "Load the demo county: regions, a synthetic population, one account per role."

    def add_arguments(self, parser):
        parser.add_argument("--county", default=demo.DEMO_COUNTY)
        parser.add_argument("--households", type=int, default=4000)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="the address printed for signing in"
        )

    def handle(self, *args, county: str, households: int, seed: int, url: str, **options):
        if not settings.DEBUG:
            raise CommandError("演示数据和演示账号（公开密码）只能在调试模式（DEBUG=true）下载入。")
        count = demo.load_demo_regions(county)
        self.stdout.write(f"行政区划：{count} 条（全国至区县，演示县至村居）。")
        counts = demo.load_demo_population(county, households, seed, self._progress)
        if counts is None:
            self.stdout.write("演示县已有户籍数据，跳过生成。")
        else:
            self.stdout.write(
                f"已生成 {counts.households} 户、{counts.persons} 人、{counts.incomes} 条收入记录。"
            )
        created = demo.create_demo_accounts(county)
        self.stdout.write(f"演示账号：新建 {len(created)} 个。")
        with transaction.atomic():
            targets = load_demo_targets(county, timezone.localdate())
        self.stdout.write(f"工作目标：新建 {targets} 项（取自2024年工作要点）。")
        with transaction.atomic():
            payroll = load_demo_payroll(county, timezone.localdate())
        if payroll is not None:
            lines = payroll.line_count
            self.stdout.write(f"演示发放名册：{payroll.number}，{lines} 人（编制中）。")
        with transaction.atomic():
            cases = load_demo_cases(county, timezone.localdate())
        self.stdout.write(f"办理中的救助案件：新建 {cases} 件（各环节待办）。")
        with transaction.atomic():  # 高龄津贴 免申即享: the elders wait for the county to confirm
            self.stdout.write(f"免申即享：{screen(None, county, timezone.localdate())}")
        self._print_accounts(url)

    def _progress(self, stage: str, done: int, total: int) -> None:
        if done == total or done % 100_000 == 0:
            self.stdout.write(f"  {stage}: {done}/{total}")

    def _print_accounts(self, url: str) -> None:
        self.stdout.write(f"\n登录地址：{url}  密码（所有演示账号）：{demo.DEMO_PASSWORD}")
        for account in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<18} {account.role}")
