import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from minzheng.accounts.models import User
from minzheng.kit.errors import DomainError
from minzheng.kit.money import fen_to_yuan, format_yuan
from minzheng.payments.forms import MONTH, month_of
from minzheng.payments.generation import PAYROLL_PROGRAMS, generate


class Command(BaseCommand):
    help = (
        "Generate the draft payrolls of a county for a month, with the pre-release checks "
        "(idempotent: running it again updates the same payrolls)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="county code (6 or 12 digits)")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument(
            "--program",
            action="append",
            choices=[str(p) for p in PAYROLL_PROGRAMS],
            help="one program (repeatable); default: every program paid monthly or once",
        )
        parser.add_argument("--as", dest="maker", help="the maker's username (else the operator)")

    def handle(self, *args, county, month, program, maker, **options):
        if not MONTH.regex.match(month):
            raise CommandError("月份应为 YYYY-MM 格式，例如 2024-11。")
        actor = None
        if maker:
            actor = User.objects.filter(username=maker).first()
            if actor is None:
                raise CommandError(f"用户不存在：{maker}")
        for code in program or PAYROLL_PROGRAMS:
            started = time.perf_counter()
            try:
                with transaction.atomic():
                    payroll = generate(actor, county, code, month_of(month), self._progress)
            except DomainError as exc:
                raise CommandError(exc.message) from None
            seconds = time.perf_counter() - started
            total = format_yuan(fen_to_yuan(payroll.total_fen))
            self.stdout.write(
                self.style.SUCCESS(
                    f"{payroll.number}：{payroll.line_count} 人，合计 {total}，"
                    f"暂缓 {payroll.held_count} 人，待处理疑点 {payroll.open_flags} 条；"
                    f"用时 {seconds:.1f} 秒"
                )
            )

    def _progress(self, message: str) -> None:
        self.stdout.write(f"  … {message}")
        self.stdout.flush()
