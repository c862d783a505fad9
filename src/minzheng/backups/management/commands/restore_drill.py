from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minzheng.backups import drill
from minzheng.kit.errors import DomainError


class Command(BaseCommand):
    help = (
        "The restore drill: back up this database, restore the backup into a new, empty "
        "database (PostgreSQL: <name>_drill, created and dropped; SQLite: a temporary file) "
        "with `minzheng restore` in a process of its own, and report whether the audit chain "
        "and every table's row count came back; exit non-zero otherwise. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", metavar="DIR", help="keep the drill's backup in DIR (default: deleted)"
        )

    def handle(self, *args, to=None, **options):
        try:
            report = drill.run(keep_in=Path(to) if to else None, say=self._say)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        manifest = report.backup.manifest
        if not report.passed:
            raise CommandError(
                f"恢复演练未通过（演练数据库 {report.target}，见上面恢复命令的输出）。"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复演练通过：{len(manifest['tables'])} 张表、{report.backup.rows} 行逐表一致，"
                f"审计日志至 #{manifest['audit']['last_seq']} 完整；用时 {report.seconds:.1f} 秒。"
            )
        )

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
