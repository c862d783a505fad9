from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from minzheng.keyring import canary
from minzheng.keyring.keys import KEYS


class Command(BaseCommand):
    help = (
        "Check that FIELD_ENCRYPTION_KEY, BLIND_INDEX_KEY and AUDIT_HMAC_KEY are the keys the "
        "database was written with (the key canary); write the canary where it is missing."
    )
    requires_system_checks = []  # this command is the check

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        found = canary.problems(database)
        if found:
            for problem in found:
                self.stderr.write(problem.message)
            raise CommandError(f"密钥校验失败：{len(found)} 个密钥与数据库不符（见上）。")
        written = canary.ensure(database)
        names = "、".join(key.name for key in KEYS)
        note = f"（已写入校验值：{'、'.join(written)}）" if written else ""
        self.stdout.write(self.style.SUCCESS(f"密钥校验通过：{names} 与数据库一致{note}。"))
