from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from minzheng.backups import services
from minzheng.kit.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore a backup (DIR/<time>/ written by `minzheng backup`) into the configured, empty "
        "database and media folder, then check the audit chain and every table's row count "
        "against the backup's manifest; exit non-zero on any difference. Refuses a target that "
        "is not empty, a keys file that is missing or lacks a key, keys other than the running "
        "ones, and a file whose SHA-256 differs from the manifest's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, metavar="DIR/<time>")
        parser.add_argument(
            "--keys", metavar="FILE", help="the backup's keys file (default: keys.env beside it)"
        )
        parser.add_argument(
            "--sandbox",
            metavar="DIR",
            help="for restore-drill: the media and the audit checkpoints go to DIR, and the "
            "restore is not recorded in the (throwaway) restored log",
        )

    def handle(self, *args, source, keys=None, sandbox=None, **options):
        if sandbox:  # this process restores a drill database only
            settings.MEDIA_ROOT = Path(sandbox) / "media"
            settings.AUDIT_ANCHOR_FILE = Path(sandbox) / "audit-anchor.jsonl"
        try:
            report = services.restore(
                Path(source),
                keys_file=Path(keys) if keys else None,
                say=self._say,
                audited=not sandbox,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        except OperationalError as exc:  # no such database, no server, no access
            raise CommandError(
                f"无法连接目标数据库：{exc}（PostgreSQL 请先用 createdb 新建空数据库）"
            ) from None
        self.stdout.write("校验：")
        self.stdout.write(f"  表：{len(report.tables)} 张，共 {report.rows} 行")
        self.stdout.write(f"  审计日志：已校验 {report.chain.checked} 条事件")
        self.stdout.write(f"  媒体文件：{report.media_files} 个")
        if not report.intact:
            for problem in report.problems:
                self.stderr.write(f"  ✗ {problem}")
            raise CommandError(
                f"恢复后的校验未通过：{len(report.problems)} 处与备份不符。"
                "数据已写入目标数据库，请勿投入使用。"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "恢复完成并通过校验：每张表的行数与备份清单一致，审计日志完整，媒体文件齐全。"
            )
        )

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
