from django.core.management.base import BaseCommand, CommandError

from minzheng.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain against its signed checkpoints; exit non-zero if any "
        "event was edited or deleted, or the log was cut short or truncated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            help="checkpoint file to compare with (e.g. a copy shipped off the machine); "
            "default: AUDIT_ANCHOR_FILE",
        )

    def handle(self, *args, anchor=None, **options):
        report = verify_chain(anchor_path=anchor)
        if not report.intact:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"审计日志校验失败：检查 {report.checked} 条，发现 {len(report.problems)} 处问题。"
            )
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：已校验 {report.checked} 条事件。"))
        if report.checkpoints:
            self.stdout.write(
                f"与 {report.checkpoints} 个检查点一致，最新至 #{report.anchored}"
                f"（{report.anchor_path}）。"
            )
        else:
            self.stdout.write(f"尚无检查点（{report.anchor_path}）。")
