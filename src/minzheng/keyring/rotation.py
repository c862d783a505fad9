"""`minzheng rotate-keys`: every encrypted value re-encrypted and every blind index rebuilt
under the new keys, the old ones given as FIELD_ENCRYPTION_KEY_OLD / BLIND_INDEX_KEY_OLD.

The canary says where a rotation stands: `begin` checks the old keys against it and records
the new ones (`next_value`), each table is then rewritten in batches of rows, one transaction
each, and `finish` makes the new keys the ones in use. Stopped anywhere, it is run again with
the same keys: a value already under the new key opens with it and is left as it is, an index
already right is not written. Until it has finished, the start check refuses both the old and
the new keys (Error.ROTATION_UNFINISHED), so no site serves a half-rotated database.
"""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import connection, transaction

from minzheng.audit.services import record
from minzheng.keyring.canary import TRUSTED, stored
from minzheng.keyring.columns import Sealed, Table, tables
from minzheng.keyring.errors import Error
from minzheng.keyring.events import Event
from minzheng.keyring.keys import FIELD, INDEX, KEYS, Database, Key
from minzheng.keyring.models import Canary
from minzheng.kit import crypto
from minzheng.kit.env import FIELD_KEY_FORM, field_key_bytes

OLD = "_OLD"  # FIELD_ENCRYPTION_KEY_OLD, BLIND_INDEX_KEY_OLD
BATCH = 2000  # rows per transaction

Progress = Callable[[str, int, int, int], None]  # table, rows done, rows in all, rows changed


@dataclass(frozen=True)
class Plan:
    field_old: str | None  # the field key rotates from it
    indexes: bool  # the blind-index key rotates

    def columns(self, sealed: Sealed) -> list[str]:
        if self.field_old or (self.indexes and sealed.index_column):
            index = sealed.index_column if self.indexes else None
            return [sealed.column, *([index] if index else [])]
        return []


@dataclass(frozen=True)
class Report:
    keys: list[str]  # the keys rotated; empty: nothing was to do
    resumed: bool = False
    rows: dict[str, int] = field(default_factory=dict)  # rows changed by this run, per model


def old_keys(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The old keys given in the environment, by the name of the key they are the old one of."""
    environ = os.environ if environ is None else environ
    names = [key.name for key in KEYS if key.rotatable]
    return {name: environ[name + OLD] for name in names if environ.get(name + OLD)}


def rotate(
    old: Mapping[str, str], *, batch_size: int = BATCH, progress: Progress | None = None
) -> Report:
    if FIELD.name in old and field_key_bytes(old[FIELD.name], url_safe=False) is None:
        raise Error.OLD_KEY_MALFORMED.error(name=FIELD.name + OLD, form=FIELD_KEY_FORM)
    rotating, resumed = begin(old)
    if not rotating:
        return Report([])
    plan = Plan(old[FIELD.name] if FIELD.name in rotating else None, INDEX.name in rotating)
    changed = {t.label: _rotate_table(t, plan, batch_size, progress) for t in tables()}
    finish(rotating, changed)
    return Report(rotating, resumed, changed)


def begin(old: Mapping[str, str]) -> tuple[list[str], bool]:
    """Check every key against the canary and record the new ones: (keys to rotate, resumed)."""
    if not old:
        raise Error.NOTHING_TO_ROTATE.error()
    db = Database()
    if stored(db) is None:
        raise Error.NO_CANARY_TABLE.error()
    field_keys = [settings.FIELD_ENCRYPTION_KEY, *([old[FIELD.name]] if FIELD.name in old else [])]
    rotating, resumed = [], False
    with transaction.atomic():
        rows = {row.key: row for row in Canary.objects.select_for_update()}
        for key in KEYS:
            row = rows.get(key.name) or Canary(key=key.name)
            if key.name not in old:
                _keep(key, row, field_keys, db)
                continue
            step = _step(key, old[key.name], row, field_keys, db)
            resumed |= step == "resume"
            if step != "done":
                rotating.append(key.name)
        if rotating:
            event = Event.ROTATION_RESUMED if resumed else Event.ROTATION_STARTED
            record(event, object_type="key", object_id=",".join(rotating), after={"keys": rotating})
    return rotating, resumed


def _keep(key: Key, row: Canary, field_keys: list[str], db: Database) -> None:
    """A key that stays: it must be the database's (its canary written if it had none)."""
    new = key.current()
    if row.next_value:
        raise Error.ROTATION_UNFINISHED.error(key=key.name)
    if row.value:
        if not key.matches(new, row.value):
            raise key.mismatch.error(key=key.name)
        return
    found = key.probe(new, field_keys, db)
    if found not in TRUSTED:
        raise key.mismatch.error(key=key.name)
    row.value = key.seal(new)
    row.save()


def _step(key: Key, previous: str, row: Canary, field_keys: list[str], db: Database) -> str:
    """Whether a key given its old one starts rotating, resumes, or is done already."""
    new = key.current()
    if previous == new:
        raise Error.SAME_KEY.error(key=key.name)
    if not row.value:  # a database written before the canary: its data tells
        if key.probe(previous, field_keys, db) not in TRUSTED:
            raise Error.OLD_KEY_MISMATCH.error(key=key.name)
        row.value = key.seal(previous)
    if row.next_value:
        if not key.matches(new, row.next_value):
            raise Error.OTHER_NEW_KEY.error(key=key.name)
        if not key.matches(previous, row.value):
            raise Error.OLD_KEY_MISMATCH.error(key=key.name)
        return "resume"
    if key.matches(new, row.value):
        return "done"
    if not key.matches(previous, row.value):
        raise Error.OLD_KEY_MISMATCH.error(key=key.name)
    row.next_value = key.seal(new)
    row.save()
    return "start"


def finish(rotating: list[str], changed: dict[str, int]) -> None:
    with transaction.atomic():
        for row in Canary.objects.select_for_update().filter(key__in=rotating):
            row.value, row.next_value = row.next_value, ""
            row.save()
        keys = ",".join(rotating)
        after = {"keys": rotating, "rows": changed}
        record(Event.ROTATION_FINISHED, object_type="key", object_id=keys, after=after)


def _rotate_table(table: Table, plan: Plan, size: int, progress: Progress | None) -> int:
    sealed = [s for s in table.sealed if plan.columns(s)]
    if not sealed:
        return 0
    columns = [c for s in sealed for c in plan.columns(s)]
    total = table.model._base_manager.count()
    last, done, changed = None, 0, 0
    while True:
        with transaction.atomic():
            rows = _read(table, columns, last, size)
            updates = [new for row in rows if (new := _rekeyed(table, sealed, plan, row))]
            _write(table, columns, updates)
        if not rows:
            return changed
        last, done, changed = rows[-1][0], done + len(rows), changed + len(updates)
        if progress:
            progress(table.label, done, total, changed)
        if len(rows) < size:
            return changed


def _rekeyed(table: Table, sealed: list[Sealed], plan: Plan, row: tuple) -> tuple | None:
    """The row's new values then its pk, or None when it is already under the new keys."""
    pk, values, at, dirty = row[0], list(row[1:]), 0, False
    for one in sealed:
        token = values[at]
        if token:
            try:
                if plan.field_old:
                    clear, resealed = crypto.reseal(token, plan.field_old)
                else:
                    clear, resealed = crypto.decrypt(token), None
            except (InvalidTag, ValueError):  # binascii.Error is a ValueError
                unreadable = Error.UNREADABLE_VALUE
                raise unreadable.error(table=table.label, pk=pk, column=one.field) from None
            if resealed:
                values[at], dirty = resealed, True
        at += 1
        if plan.indexes and one.index_column:
            if token and values[at] != (index := crypto.blind_index(clear, one.field)):
                values[at], dirty = index, True
            at += 1
    return (*values, pk) if dirty else None


def _read(table: Table, columns: list[str], after, size: int) -> list[tuple]:
    quote = connection.ops.quote_name
    pk = quote(table.pk)
    names = ", ".join([pk, *(quote(c) for c in columns)])
    where = f"WHERE {pk} > %s " if after is not None else ""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # names from model metadata only; values bound
    sql = f"SELECT {names} FROM {quote(table.name)} {where}ORDER BY {pk} LIMIT %s{lock}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*([after] if after is not None else []), size])
        return cursor.fetchall()


def _write(table: Table, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    sql = f"UPDATE {quote(table.name)} SET {sets} WHERE {quote(table.pk)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
