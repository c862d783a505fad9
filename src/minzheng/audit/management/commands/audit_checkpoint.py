from django.core.management.base import BaseCommand, CommandError

from minzheng.audit.anchor import anchor_file
from minzheng.audit.services import checkpoint
from minzheng.kit.errors import DomainError


class Command(BaseCommand):
    help = (
        "Anchor the audit chain outside the database: append a signed checkpoint (sequence, "
        "hash, time) of its last event to AUDIT_ANCHOR_FILE and the 'minzheng.audit.anchor' "
        "log. Run it from a timer (cron, systemd), e.g. every few minutes."
    )

    def handle(self, *args, **options):
        try:
            written = checkpoint()
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if written is None:
            self.stdout.write("审计日志为空，未写检查点。")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"已写入审计检查点 #{written.seq}（{anchor_file()}）。")
            )
