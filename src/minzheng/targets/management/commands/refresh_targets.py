from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from minzheng.kit.errors import DomainError
from minzheng.regions.selectors import get_region
from minzheng.targets import services


class Command(BaseCommand):
    help = "Record today's value of the computed work-plan targets of a region (e.g. daily)."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="区划代码, e.g. 330122")
        parser.add_argument("--year", type=int, help="default: this year")

    def handle(self, *args, region: str, year: int | None, **options):
        today = timezone.localdate()
        try:
            found = get_region(region)
            with transaction.atomic():
                changed = services.refresh_computed(None, found, year or today.year, today)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{found.name}：{changed} 项自动计算的工作目标有变化，已记录。")
