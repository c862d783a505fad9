"""`minzheng rotate-keys`: every encrypted value and every blind index moved to the new keys,
in batches, resumable, audited; refusals change nothing."""

import base64
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from minzheng.audit.models import AuditEvent
from minzheng.keyring import canary, rotation
from minzheng.keyring.columns import tables
from minzheng.keyring.errors import Error
from minzheng.keyring.events import Event
from minzheng.keyring.models import Canary
from minzheng.kit import crypto
from minzheng.payments.models import RelativeDeclaration
from minzheng.registry.models import Person, Supporter
from minzheng.registry.selectors import households_for
from tests.factories import DEMO_COUNTY, TOWNSHIP_A, first_village, make_household, make_user
from tests.refusals import refused

NEW_INDEX_KEY = "a-new-blind-index-key-with-more-than-32-characters"


class Interrupted(Exception):
    pass


@pytest.fixture
def populated(regions):
    """Four households of two (8 ID numbers), phones and accounts on some members, one
    account token copied to a second row as payments copies it, a supporter and a declared
    relative: every encrypted table but the payroll's."""
    village = first_village(TOWNSHIP_A)
    households = [make_household(village) for _ in range(4)]
    persons = list(Person.objects.order_by("id"))
    for index, person in enumerate(persons[:5]):
        person.phone = f"1381234567{index}"
        person.bank_account = f"622848000000000001{index}"
        person.save(update_fields=["phone", "bank_account"])
    with connection.cursor() as cursor:  # one ciphertext in two rows, as a payroll line has it
        cursor.execute("SELECT bank_account FROM registry_person WHERE id = %s", [persons[0].pk])
        token = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE registry_person SET bank_account = %s WHERE id = %s", [token, persons[7].pk]
        )
    number = "330122198001010016"
    Supporter.objects.create(
        household=households[0],
        name="赵六",
        id_number=number,
        id_number_index=crypto.blind_index(number, "id_number"),
        duty="elders",
        relation="son",
    )
    staff = make_user("county_admin", DEMO_COUNTY)
    RelativeDeclaration.objects.create(
        staff=staff,
        region_id=DEMO_COUNTY,
        name="钱七",
        id_number=persons[1].id_number,
        id_number_index=persons[1].id_number_index,
        relation="sibling",
        declared_on=date(2024, 1, 1),
    )
    return staff


def _clear() -> dict:
    """Every encrypted value as the site reads it, by model, row and field."""
    return {
        (t.label, row["pk"], s.field): row[s.field]
        for t in tables()
        for row in t.model._base_manager.values("pk", *(s.field for s in t.sealed))
        for s in t.sealed
    }


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _new_keys(settings) -> dict[str, str]:
    """The keys now in use become the old ones; fresh ones are set."""
    old = {"FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY}
    old["BLIND_INDEX_KEY"] = settings.BLIND_INDEX_KEY
    settings.FIELD_ENCRYPTION_KEY = crypto.new_key()
    settings.BLIND_INDEX_KEY = NEW_INDEX_KEY
    return old


def _codes(found) -> list:
    return [error.error_code for error in found]


def _found_by_id_number(staff) -> bool:
    numbers = Person.objects.values_list("id_number", "household_id")
    return all(
        list(households_for(staff, search=number).values_list("pk", flat=True)) == [household]
        for number, household in numbers
    )


def test_rotation_keeps_every_value_and_every_search(db, settings, populated):
    # given: the values as read under the old keys
    before = _clear()
    tokens = _raw("registry_person", "bank_account")
    assert len(before) == 8 * 4 + 1 + 1 and _found_by_id_number(populated)
    old = _new_keys(settings)
    assert canary.problems() != []  # the new keys alone are refused
    # when
    report = rotation.rotate(old, batch_size=3)
    # then: the same clear values, new ciphertexts, new indexes, searches found again
    assert report.keys == ["FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY"] and not report.resumed
    assert report.rows == {
        "payments.Disbursement": 0,
        "payments.Line": 0,
        "payments.RelativeDeclaration": 1,
        "registry.Person": 8,
        "registry.Supporter": 1,
    }
    assert _clear() == before
    rotated = _raw("registry_person", "bank_account")
    assert all(new != was for new, was in zip(rotated, tokens, strict=True) if was)
    assert rotated[7] == rotated[0]  # one ciphertext in two rows stays one
    assert _found_by_id_number(populated)
    indexes = _raw("registry_person", "id_number_index")
    assert indexes == [
        crypto.blind_index(p.id_number, "id_number") for p in Person.objects.order_by("id")
    ]
    declared = RelativeDeclaration.objects.get()
    assert declared.id_number_index == crypto.blind_index(declared.id_number, "id_number")
    assert canary.problems() == []
    assert not Canary.objects.exclude(next_value="").exists()
    events = list(AuditEvent.objects.order_by("seq").values_list("action", "object_id", "after"))
    assert events[-2:] == [
        (
            Event.ROTATION_STARTED,
            "FIELD_ENCRYPTION_KEY,BLIND_INDEX_KEY",
            {"keys": ["FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY"]},
        ),
        (
            Event.ROTATION_FINISHED,
            "FIELD_ENCRYPTION_KEY,BLIND_INDEX_KEY",
            {"keys": ["FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY"], "rows": report.rows},
        ),
    ]
    # and run again with the old keys still set: nothing to do, nothing recorded
    assert rotation.rotate(old).keys == []
    assert AuditEvent.objects.count() == len(events)


def test_an_interrupted_rotation_is_refused_at_start_and_resumes(db, settings, populated):
    before = _clear()
    old = _new_keys(settings)
    new = settings.FIELD_ENCRYPTION_KEY, settings.BLIND_INDEX_KEY
    seen = []

    def stop_after_first_batch(table, done, total, changed):
        seen.append((table, done, total, changed))
        raise Interrupted

    with pytest.raises(Interrupted):
        rotation.rotate(old, batch_size=3, progress=stop_after_first_batch)
    # the first batch is under the new keys, the rest still under the old ones
    assert seen == [("payments.RelativeDeclaration", 1, 1, 1)]
    assert _codes(canary.problems()) == [Error.ROTATION_UNFINISHED] * 2
    settings.FIELD_ENCRYPTION_KEY = old["FIELD_ENCRYPTION_KEY"]  # the old keys: refused too
    settings.BLIND_INDEX_KEY = old["BLIND_INDEX_KEY"]
    assert _codes(canary.problems()) == [Error.ROTATION_UNFINISHED] * 2
    with refused(Error.OTHER_NEW_KEY):  # resumed toward another new key
        rotation.rotate(old | {"FIELD_ENCRYPTION_KEY": crypto.new_key()})
    # resumed with the same keys: the rest is done, the first batch not written again
    settings.FIELD_ENCRYPTION_KEY, settings.BLIND_INDEX_KEY = new
    progress = []
    report = rotation.rotate(old, batch_size=3, progress=lambda *step: progress.append(step))
    assert report.resumed and report.rows["payments.RelativeDeclaration"] == 0
    assert report.rows["registry.Person"] == 8
    assert progress[0] == ("payments.RelativeDeclaration", 1, 1, 0)
    assert [step for step in progress if step[0] == "registry.Person"] == [
        ("registry.Person", 3, 8, 3),
        ("registry.Person", 6, 8, 6),
        ("registry.Person", 8, 8, 8),
    ]
    assert _clear() == before and _found_by_id_number(populated)
    assert canary.problems() == []
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == [Event.ROTATION_STARTED, Event.ROTATION_RESUMED, Event.ROTATION_FINISHED]


def _state() -> tuple:
    return (
        sorted(Canary.objects.values_list("key", "value", "next_value")),
        _raw("registry_person", "id_number"),
        _raw("registry_person", "id_number_index"),
        AuditEvent.objects.count(),
    )


def test_refusals_change_nothing(db, settings, populated):
    current = {"FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY}
    unchanged = _state()
    with refused(Error.NOTHING_TO_ROTATE):
        rotation.rotate({})
    with refused(Error.SAME_KEY):
        rotation.rotate(current)
    with refused(Error.OLD_KEY_MALFORMED):
        rotation.rotate({"FIELD_ENCRYPTION_KEY": "x"})
    old = _new_keys(settings)
    with refused(Error.OLD_KEY_MISMATCH):  # not the key the database was written with
        rotation.rotate(old | {"FIELD_ENCRYPTION_KEY": crypto.new_key()})
    with refused(Error.OLD_KEY_MISMATCH):
        rotation.rotate(old | {"BLIND_INDEX_KEY": "not-the-old-blind-index-key-either"})
    with refused(Error.KEY_MISMATCH):  # the field key changed, but its old one is not given
        rotation.rotate({"BLIND_INDEX_KEY": old["BLIND_INDEX_KEY"]})
    assert _state() == unchanged


def test_only_the_blind_index_key_rotates(db, settings, populated):
    before, tokens = _clear(), _raw("registry_person", "id_number")
    old = {"BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY}
    settings.BLIND_INDEX_KEY = NEW_INDEX_KEY
    report = rotation.rotate(old)
    assert report.keys == ["BLIND_INDEX_KEY"]
    assert report.rows["registry.Person"] == 8 and report.rows["payments.Line"] == 0
    assert _raw("registry_person", "id_number") == tokens  # no value re-encrypted
    assert _clear() == before and _found_by_id_number(populated)
    assert canary.problems() == []


def test_a_value_neither_key_opens_stops_the_rotation_naming_its_row(db, settings, populated):
    person = Person.objects.order_by("id").last()
    with connection.cursor() as cursor:
        foreign = crypto.encrypt("13800000000", crypto.new_key())
        cursor.execute("UPDATE registry_person SET phone = %s WHERE id = %s", [foreign, person.pk])
    old = _new_keys(settings)
    with refused(Error.UNREADABLE_VALUE) as caught:
        rotation.rotate(old, batch_size=3)
    assert f"registry.Person 中 id 为 {person.pk} 的行的 phone" in caught.value.message
    assert _codes(canary.problems()) == [Error.ROTATION_UNFINISHED] * 2


def test_a_database_from_before_the_canary_rotates_when_its_data_shows_the_old_keys(
    db, settings, populated
):
    Canary.objects.all().delete()
    before = _clear()
    old = _new_keys(settings)
    with refused(Error.OLD_KEY_MISMATCH):
        rotation.rotate(old | {"FIELD_ENCRYPTION_KEY": crypto.new_key()})
    assert not Canary.objects.exists()
    assert rotation.rotate(old).keys == ["FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY"]
    assert _clear() == before and canary.problems() == []
    assert sorted(Canary.objects.values_list("key", flat=True)) == [
        "AUDIT_HMAC_KEY",
        "BLIND_INDEX_KEY",
        "FIELD_ENCRYPTION_KEY",
    ]


def test_the_command_reads_the_old_keys_from_the_environment(
    db, settings, populated, monkeypatch, capsys
):
    before = _clear()
    old = _new_keys(settings)
    for name, value in old.items():
        monkeypatch.setenv(f"{name}_OLD", value)
    call_command("rotate_keys", "--batch-size", "5")
    out = capsys.readouterr().out
    assert "  … registry.Person：5/8 行，已改写 5 行" in out
    assert "密钥更换完成：FIELD_ENCRYPTION_KEY、BLIND_INDEX_KEY；本次改写 10 行" in out
    assert _clear() == before
    monkeypatch.delenv("FIELD_ENCRYPTION_KEY_OLD")
    monkeypatch.delenv("BLIND_INDEX_KEY_OLD")
    with pytest.raises(CommandError, match="没有要更换的密钥"):
        call_command("rotate_keys")


def test_an_old_field_key_in_standard_base64_is_read(db, settings, populated):
    """A key made by `openssl rand -base64 32` ("+", "/") opened its data before the form was
    checked at start; production now refuses it, and it can still be the old key."""
    before = _clear()
    raw = bytes(range(200, 232))
    standard, url_safe = base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()
    assert "+" in standard and "/" in standard
    old = {"FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY}
    settings.FIELD_ENCRYPTION_KEY = url_safe  # the data under those bytes
    rotation.rotate(old)
    settings.FIELD_ENCRYPTION_KEY = crypto.new_key()
    assert rotation.rotate({"FIELD_ENCRYPTION_KEY": standard}).keys == ["FIELD_ENCRYPTION_KEY"]
    assert _clear() == before
