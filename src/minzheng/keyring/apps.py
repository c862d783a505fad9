from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class KeyringConfig(AppConfig):
    """The keys' canary (models.Canary) and their rotation (`minzheng rotate-keys`)."""

    name = "minzheng.keyring"
    label = "keyring"
    verbose_name = "密钥"

    def ready(self) -> None:
        from minzheng.keyring import startup

        # Run by every command that checks a database: `migrate`, `check --database default`,
        # and `serve` once it asks for its database's checks (see README "Keys").
        checks.register(startup.keys_match, "keys", checks.Tags.database)
        post_migrate.connect(startup.write_canaries, sender=self)
