"""近亲属备案: staff declare relatives by ID number (encrypted, blind index), once each."""

from datetime import date

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.kit import crypto
from minzheng.kit.errors import ErrorCode, ValidationFailed
from minzheng.payments import relatives
from minzheng.payments.errors import Error
from minzheng.payments.models import RelativeDeclaration
from tests.factories import TOWNSHIP_A, first_village, make_id_number, make_user
from tests.refusals import refused

NUMBER = make_id_number(date(1960, 5, 1), "F")


def test_a_declaration_keeps_the_id_number_encrypted_and_indexed(regions):
    clerk = make_user("township_clerk", TOWNSHIP_A)
    declared = relatives.declare(clerk, "王芳", NUMBER.lower(), "parent", date(2024, 10, 1))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number FROM payments_relativedeclaration WHERE id = %s", [declared.pk]
        )
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:") and NUMBER not in stored
    assert declared.id_number_index == crypto.blind_index(NUMBER, "id_number")
    event = AuditEvent.objects.get(action="relative.declared")
    assert event.after == {"relation": "parent", "id_number": NUMBER[:6] + "********" + NUMBER[-4:]}


def test_the_same_relative_twice_is_a_conflict_until_withdrawn(regions):
    clerk = make_user("township_clerk", TOWNSHIP_A)
    first = relatives.declare(clerk, "王芳", NUMBER, "parent", date(2024, 10, 1))
    with refused(Error.RELATIVE_DECLARED_TWICE):
        relatives.declare(clerk, "王芳", NUMBER, "parent", date(2024, 10, 2))
    relatives.withdraw(clerk, first.pk, date(2024, 11, 1))
    relatives.declare(clerk, "王芳", NUMBER, "parent", date(2024, 11, 2))
    assert RelativeDeclaration.objects.filter(withdrawn_on__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("case", "role", "name", "number", "error"),
    [
        ("a resident does not declare", "resident", "王芳", NUMBER, Error.RELATIVE_NOT_PERMITTED),
        (
            "a reviewer declares a wrong ID number",
            "township_reviewer",
            "王芳",
            "123",
            ValidationFailed,
        ),
        ("a wrong ID number", "township_clerk", "王芳", NUMBER[:-1] + "0", ValidationFailed),
        ("no name", "township_clerk", " ", NUMBER, Error.RELATIVE_NAME_REQUIRED),
    ],
)
def test_refused_declarations_record_nothing(regions, case, role, name, number, error):
    region = first_village(TOWNSHIP_A) if role == "resident" else TOWNSHIP_A
    # a declared code, or the ID number's ValidationFailed (kit.ids)
    with refused(error) if isinstance(error, ErrorCode) else pytest.raises(error):
        relatives.declare(make_user(role, region), name, number, "parent", date(2024, 10, 1))
    assert (
        RelativeDeclaration.objects.count(),
        AuditEvent.objects.filter(action="relative.declared").count(),
    ) == (0, 0)


def test_only_ones_own_declaration_is_withdrawn(regions):
    clerk = make_user("township_clerk", TOWNSHIP_A)
    declared = relatives.declare(clerk, "王芳", NUMBER, "parent", date(2024, 10, 1))
    with refused(Error.RELATIVE_NOT_FOUND):
        relatives.withdraw(make_user("township_clerk", TOWNSHIP_A), declared.pk, date(2024, 11, 1))
    assert RelativeDeclaration.objects.get(pk=declared.pk).withdrawn_on is None
