import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from minzheng.accounts import services
from minzheng.accounts.roles import ROLES
from minzheng.kit.errors import DomainError


class Command(BaseCommand):
    help = "Create an account with its initial roles (the operator's bootstrap; audited)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--region", help="12-digit region code of the home region")
        parser.add_argument("--role", action="append", default=[], choices=sorted(ROLES))
        parser.add_argument("--full-name", default="")
        parser.add_argument("--password", help="omit to be asked (avoids shell history)")

    def handle(self, *args, username, region, role, full_name, password, **options):
        password = password or getpass.getpass("密码：")
        try:
            with transaction.atomic():
                user = services.create_user(
                    None,
                    username=username,
                    password=password,
                    region_code=region,
                    full_name=full_name,
                    roles=role,
                    operator="cli:createuser",
                )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(f"已创建账号 {user.username}（{'、'.join(user.role_labels)}）。")
        )
