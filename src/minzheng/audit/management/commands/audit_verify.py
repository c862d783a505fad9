from django.core.management.base import BaseCommand, CommandError

from minzheng.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero if any event was edited or deleted."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"审计日志校验失败：检查 {report.checked} 条，发现 {len(report.problems)} 处问题。"
            )
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：已校验 {report.checked} 条事件。"))
