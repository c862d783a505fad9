"""Checking the configured keys against the database (`problems`, at start) and writing the
canary where it is missing (`ensure`, after `migrate`)."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from minzheng.keyring.errors import Error
from minzheng.keyring.keys import KEYS, Database, Key, Probe
from minzheng.keyring.models import Canary
from minzheng.kit.errors import DomainError

# what a database written before the canary must show before the canary is written for it
TRUSTED = (Probe.MATCH, Probe.NO_DATA)


def stored(db: Database) -> dict[str, Canary] | None:
    """The canary rows by key; None before the keyring's migration."""
    if Canary._meta.db_table not in db.tables:
        return None
    return {row.key: row for row in Canary.objects.using(db.alias)}


def problem(key: Key, row: Canary | None, db: Database) -> DomainError | None:
    """Why the configured `key` cannot read this database, or None."""
    if row is not None and row.next_value:
        return Error.ROTATION_UNFINISHED.error(key=key.name)
    if row is not None:
        return None if key.matches(key.current(), row.value) else key.mismatch.error(key=key.name)
    found = key.probe(key.current(), [settings.FIELD_ENCRYPTION_KEY], db)
    return key.mismatch.error(key=key.name) if found is Probe.MISMATCH else None


def problems(using: str = DEFAULT_DB_ALIAS) -> list[DomainError]:
    """One error per key that does not match the database (each names its key)."""
    db = Database(using)
    rows = stored(db) or {}
    return [found for key in KEYS if (found := problem(key, rows.get(key.name), db))]


def ensure(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Write the canary of each key that has none, when the data agrees with the key (or there
    is none yet); returns the keys written. Never blesses a key the data contradicts."""
    db = Database(using)
    rows = stored(db)
    if rows is None:
        return []
    field_keys = [settings.FIELD_ENCRYPTION_KEY]
    new = [
        Canary(key=key.name, value=key.seal(key.current()))
        for key in KEYS
        if key.name not in rows and key.probe(key.current(), field_keys, db) in TRUSTED
    ]
    Canary.objects.using(using).bulk_create(new, ignore_conflicts=True)
    return [row.key for row in new]
