import time

from django.core.management.base import BaseCommand, CommandError

from minzheng.keyring import rotation
from minzheng.kit.errors import DomainError


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and rebuild every blind index under the keys now set "
        "(FIELD_ENCRYPTION_KEY, BLIND_INDEX_KEY), reading the old ones from "
        "FIELD_ENCRYPTION_KEY_OLD and BLIND_INDEX_KEY_OLD. In batches of rows, one transaction "
        "each; run it again with the same keys to resume. Audited."
    )
    requires_system_checks = []  # the start check refuses a database under rotation

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=rotation.BATCH)

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size 应为正整数。")
        started = time.perf_counter()
        old = rotation.old_keys()
        try:
            report = rotation.rotate(old, batch_size=batch_size, progress=self._progress)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if not report.keys:
            self.stdout.write(self.style.SUCCESS("无需更换：数据已在当前密钥下。"))
            return
        changed = sum(report.rows.values())
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"密钥更换完成：{'、'.join(report.keys)}；本次改写 {changed} 行，"
                f"用时 {seconds:.1f} 秒。现在可以删除 "
                f"{'、'.join(k + rotation.OLD for k in report.keys)} 并启动。"
            )
        )

    def _progress(self, table: str, done: int, total: int, changed: int) -> None:
        self.stdout.write(f"  … {table}：{done}/{total} 行，已改写 {changed} 行")
        self.stdout.flush()
