from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minzheng.backups import services
from minzheng.backups.manifest import KEYS_FILE
from minzheng.kit.errors import DomainError


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump -Fc; SQLite: its online backup), the media "
        "folder and the keys into DIR/<time>/, with a signed manifest of every table's row "
        "count, the audit chain's last event and each file's SHA-256. Audited. Keep keys.env "
        "apart from the rest (README 'Backups and the restore drill')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, metavar="DIR", help="where backups are kept")

    def handle(self, *args, to, **options):
        try:
            made = services.backup(Path(to), say=self._say)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"备份已写入 {made.path}：{len(made.manifest['tables'])} 张表，共 {made.rows} 行；"
                f"媒体文件 {made.manifest['media']['files']} 个。"
            )
        )
        self.stdout.write(
            f"请把密钥文件 {made.path / KEYS_FILE} 移到与数据备份分开的地方保管（离线介质），"
            "恢复时用 --keys 指定。"
        )

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
