from django.core.management.base import BaseCommand

from minzheng.regions import codes, services


class Command(BaseCommand):
    help = "Load the shipped 行政区划 file: every region down to a level, all levels inside some."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-level",
            type=int,
            default=codes.COUNTY,
            choices=range(0, 6),
            help="0 loads only the --full regions and their ancestors",
        )
        parser.add_argument(
            "--full",
            nargs="*",
            default=[],
            metavar="CODE",
            help="region codes loaded with all their townships and villages",
        )

    def handle(self, *args, max_level: int, full: list[str], **options):
        rows = services.select_rows(
            services.read_region_file(), max_level=max_level, full_within=full
        )
        count = services.load_regions(rows)
        self.stdout.write(self.style.SUCCESS(f"已载入 {count} 个行政区划。"))
