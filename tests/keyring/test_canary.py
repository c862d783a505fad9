"""The key canary: written with the database, checked at start, naming a key the database
was not written with instead of a 500 on every page that decrypts."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from minzheng.audit.services import record
from minzheng.keyring import canary
from minzheng.keyring.columns import tables
from minzheng.keyring.errors import Error
from minzheng.keyring.events import Event
from minzheng.keyring.models import Canary
from minzheng.keyring.startup import keys_match
from minzheng.kit.crypto import new_key

KEYS = ["AUDIT_HMAC_KEY", "BLIND_INDEX_KEY", "FIELD_ENCRYPTION_KEY"]
OTHER = {
    "FIELD_ENCRYPTION_KEY": new_key(),
    "BLIND_INDEX_KEY": "another-blind-index-key-of-32-characters",
    "AUDIT_HMAC_KEY": "another-audit-hmac-key-of-32-characters",
}


def _codes(found) -> list:
    return [error.error_code for error in found]


def test_the_test_database_is_set_up_with_a_canary_that_matches(db):
    assert sorted(Canary.objects.values_list("key", flat=True)) == KEYS
    assert canary.problems() == []
    assert keys_match(databases=["default"]) == []


@pytest.mark.parametrize("name", KEYS)
def test_another_key_is_refused_at_start_naming_it(db, settings, name):
    setattr(settings, name, OTHER[name])
    errors = keys_match(databases=["default"])
    assert len(errors) == 1
    expected = "audit_key_mismatch" if name == "AUDIT_HMAC_KEY" else "key_mismatch"
    assert errors[0].id == f"keyring.{expected}"
    assert errors[0].msg.startswith(f"{name} 与数据库不符")


def test_every_key_wrong_is_three_errors_and_only_database_checks_run_it(db, settings):
    for name, value in OTHER.items():
        setattr(settings, name, value)
    assert _codes(canary.problems()) == [
        Error.KEY_MISMATCH,
        Error.KEY_MISMATCH,
        Error.AUDIT_KEY_MISMATCH,
    ]
    assert keys_match(databases=None) == []  # `check` without --database reads no database


def test_migrate_is_refused_before_it_starts(db, settings):
    settings.FIELD_ENCRYPTION_KEY = OTHER["FIELD_ENCRYPTION_KEY"]
    with pytest.raises(SystemCheckError, match="FIELD_ENCRYPTION_KEY 与数据库不符"):
        call_command("migrate", skip_checks=False, verbosity=0)


def test_check_keys_command(db, settings, capsys):
    call_command("check_keys")
    assert "密钥校验通过" in capsys.readouterr().out
    settings.BLIND_INDEX_KEY = OTHER["BLIND_INDEX_KEY"]
    with pytest.raises(CommandError, match="密钥校验失败"):
        call_command("check_keys")
    assert capsys.readouterr().err.startswith("BLIND_INDEX_KEY 与数据库不符")


def test_a_database_from_before_the_canary_is_judged_by_its_data(db, settings, household):
    """The demo database served with fresh production keys, before the canary was written."""
    record(Event.ROTATION_STARTED, object_type="key")  # any event: the chain has a hash
    Canary.objects.all().delete()
    for name, value in OTHER.items():
        setattr(settings, name, value)
    assert _codes(canary.problems()) == [
        Error.KEY_MISMATCH,  # an ID number does not decrypt
        # the blind index cannot be judged while the ID numbers do not decrypt
        Error.AUDIT_KEY_MISMATCH,  # the last audit event's hash
    ]
    assert canary.ensure() == []  # never written under keys the data contradicts


def test_the_canary_is_written_when_the_data_agrees(db, household):
    Canary.objects.all().delete()
    assert canary.problems() == []
    assert sorted(canary.ensure()) == KEYS
    assert canary.ensure() == []  # once
    assert canary.problems() == []


def test_the_blind_index_is_judged_by_the_data_once_the_numbers_decrypt(db, settings, household):
    Canary.objects.all().delete()
    settings.BLIND_INDEX_KEY = OTHER["BLIND_INDEX_KEY"]
    assert [e.message.split(" ")[0] for e in canary.problems()] == ["BLIND_INDEX_KEY"]
    assert sorted(canary.ensure()) == ["AUDIT_HMAC_KEY", "FIELD_ENCRYPTION_KEY"]


def test_every_encrypted_column_and_blind_index_is_found():
    found = {t.label: [(s.field, s.index_column) for s in t.sealed] for t in tables()}
    assert found == {
        "payments.Disbursement": [("bank_account", None)],
        "payments.Line": [("bank_account", None)],
        "payments.RelativeDeclaration": [("id_number", "id_number_index")],
        "registry.Person": [
            ("id_number", "id_number_index"),
            ("phone", None),
            ("bank_account", None),
            ("disability_certificate", None),
        ],
        "registry.Supporter": [("id_number", "id_number_index")],
    }


def test_every_blind_index_column_belongs_to_an_encrypted_field():
    """A blind index named otherwise than <field>_index would not be rebuilt by rotate-keys."""
    from django.apps import apps

    indexed = {(t.model, s.index_column) for t in tables() for s in t.sealed if s.index_column}
    named = {
        (model, field.column)
        for model in apps.get_models()
        for field in model._meta.local_concrete_fields
        if field.name.endswith("_index")
    }
    assert named == indexed
