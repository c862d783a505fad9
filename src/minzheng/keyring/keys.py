"""The three keys the database depends on: how each one seals the canary's known text, checks
a canary, and — for a database written before the canary existed — probes the data itself."""

import binascii
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from minzheng.audit.models import AuditEvent
from minzheng.audit.services import hash_of
from minzheng.keyring.columns import tables
from minzheng.keyring.errors import Error
from minzheng.kit import crypto
from minzheng.kit.errors import ErrorCode

KNOWN = "minzheng-key-canary-v1"


class Probe(Enum):
    MATCH = "match"  # the data was written under this key
    MISMATCH = "mismatch"  # under another key
    NO_DATA = "no_data"  # nothing to tell by
    UNKNOWN = "unknown"  # cannot tell (the ID numbers themselves do not decrypt)


class Database:
    """One database, and the tables it already has (a check may run before `migrate`)."""

    def __init__(self, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.alias = alias
        self.connection = connections[alias]
        self.tables = set(self.connection.introspection.table_names())

    def first(self, table: str, columns: Sequence[str], nonempty: str) -> tuple | None:
        """One row's `columns` where `nonempty` is not '' (names from model metadata only)."""
        if table not in self.tables:
            return None
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        sql = f"SELECT {names} FROM {quote(table)} WHERE {quote(nonempty)} <> '' LIMIT 1"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()


@dataclass(frozen=True)
class Key:
    name: str  # the setting and environment variable
    rotatable: bool  # by `minzheng rotate-keys`
    mismatch: ErrorCode
    seal: Callable[[str], str]  # the canary's value under a key
    opens: Callable[[str, str], bool]  # (key, canary value): written under this key?
    probe: Callable[[str, Sequence[str], Database], Probe]  # (key, field keys to read with, db)

    def current(self) -> str:
        return getattr(settings, self.name)

    def matches(self, key: str, value: str) -> bool:
        return bool(value) and self.opens(key, value)


def _decrypts_known(key: str, value: str) -> bool:
    try:
        return crypto.decrypt(value, key) == KNOWN
    except (InvalidTag, ValueError, binascii.Error):
        return False


def _same(seal: Callable[[str], str]) -> Callable[[str, str], bool]:
    return lambda key, value: hmac.compare_digest(seal(key), value)


def _probe_field(key: str, field_keys: Sequence[str], db: Database) -> Probe:
    for table in tables():
        for sealed in table.sealed:
            row = db.first(table.name, [sealed.column], sealed.column)
            if row:
                return Probe.MATCH if crypto.opens(row[0], key) else Probe.MISMATCH
    return Probe.NO_DATA


def _probe_index(key: str, field_keys: Sequence[str], db: Database) -> Probe:
    for table in tables():
        for sealed in table.sealed:
            if sealed.index_column is None:
                continue
            row = db.first(table.name, [sealed.column, sealed.index_column], sealed.column)
            if row:
                opening = [k for k in field_keys if crypto.opens(row[0], k)]
                if not opening:
                    return Probe.UNKNOWN
                clear = crypto.decrypt(row[0], opening[0])
                same = crypto.blind_index(clear, sealed.field, key) == row[1]
                return Probe.MATCH if same else Probe.MISMATCH
    return Probe.NO_DATA


def _probe_audit(key: str, field_keys: Sequence[str], db: Database) -> Probe:
    """The last audit event's hash (the audit log computes it under the configured key only)."""
    if key != settings.AUDIT_HMAC_KEY:
        return Probe.UNKNOWN
    if AuditEvent._meta.db_table not in db.tables:
        return Probe.NO_DATA
    last = AuditEvent.objects.using(db.alias).order_by("-seq").first()
    if last is None:
        return Probe.NO_DATA
    return Probe.MATCH if hash_of(last) == last.hash else Probe.MISMATCH


def _seal_index(key: str) -> str:
    return crypto.blind_index(KNOWN, "key_canary", key)


def _seal_audit(key: str) -> str:
    return crypto.keyed_digest(f"audit:{KNOWN}", key)


FIELD = Key(
    "FIELD_ENCRYPTION_KEY",
    True,
    Error.KEY_MISMATCH,
    lambda key: crypto.encrypt(KNOWN, key),
    _decrypts_known,
    _probe_field,
)
INDEX = Key(
    "BLIND_INDEX_KEY", True, Error.KEY_MISMATCH, _seal_index, _same(_seal_index), _probe_index
)
AUDIT = Key(
    "AUDIT_HMAC_KEY",
    False,
    Error.AUDIT_KEY_MISMATCH,
    _seal_audit,
    _same(_seal_audit),
    _probe_audit,
)
KEYS = (FIELD, INDEX, AUDIT)
