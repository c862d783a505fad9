from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from minzheng.cases.automatic import screen
from minzheng.kit.errors import DomainError


class Command(BaseCommand):
    help = (
        "免申即享: screen a county's registry for the programs granted without an application "
        "and list the persons found for the county to confirm (monthly; idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="county code (6 or 12 digits)")
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, county, date, **options):
        try:
            today = timezone.localdate() if not date else _day(date)
            with transaction.atomic():
                found = screen(None, county, today)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(str(found)))


def _day(text: str):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError("日期应为 YYYY-MM-DD 格式。") from None
