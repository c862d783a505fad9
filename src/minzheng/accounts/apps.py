from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "minzheng.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # Roles are defined in code (roles.py); after every migrate (and every test-database
        # flush) their groups and permission sets are brought in line with that definition.
        from minzheng.accounts.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="minzheng.sync_role_groups")
