from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from minzheng.dashboards import figures, forms, services
from minzheng.kit.errors import DomainError


class Command(BaseCommand):
    help = "Close a month of the statistics for a county (default: the previous month)."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="区县区划代码, e.g. 330122")
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")

    def handle(self, *args, county: str, month: str | None, **options):
        today = timezone.localdate()
        chosen = forms.parse_month(month) if month else figures.shift(today.replace(day=1), -1)
        if chosen is None:
            raise CommandError(f"月份格式不正确：{month}（应为 YYYY-MM）")
        try:
            with transaction.atomic():
                closing = services.close_month(None, county, chosen, today)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        rows = closing.figures.count()
        self.stdout.write(
            f"已关账 {closing.county.name} {chosen:%Y-%m}：{rows} 行，校验码 {closing.digest}"
        )
