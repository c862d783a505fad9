"""The keys at start: a system check that refuses a key the database was not written with,
and the canary written after `migrate` (and after a test database's flush)."""

from django.core import checks
from django.db import DEFAULT_DB_ALIAS

from minzheng.keyring import canary


def keys_match(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Runs when a command checks a database (`migrate`; `check --database default`): each
    key that does not match it is an error naming the key."""
    return [
        checks.Error(found.message, id=f"keyring.{found.code}")
        for alias in databases or ()
        for found in canary.problems(alias)
    ]


def write_canaries(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    canary.ensure(using)
