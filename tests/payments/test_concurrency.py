"""Two checkers approving the same payroll at the same moment: it is released once, the other
gets a clear conflict. Only PostgreSQL runs the two transactions really concurrently."""

import threading

import pytest
from django.db import connection, connections, transaction

from minzheng.audit.models import AuditEvent
from minzheng.kit.errors import Conflict
from minzheng.payments import generation, services
from minzheng.payments.models import Line, Payroll
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user
from tests.payments.conftest import COUNTY, NOVEMBER, approved, with_account

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"
)


def test_two_checkers_at_once_release_once(transactional_regions):
    maker = make_user("county_admin", COUNTY)
    clerk = make_user("township_clerk", TOWNSHIP_A)
    for _ in range(3):
        household = make_household(first_village(TOWNSHIP_A), members=2)
        with_account(household.members.get(relation="head"))
        approved(household, created_by=clerk)
    with transaction.atomic():
        payroll = generation.generate(maker, COUNTY, "dibao", NOVEMBER)
        payroll = services.submit(maker, payroll.pk, payroll.version)
    checkers = [make_user("county_approver", COUNTY) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(checker):
        try:
            barrier.wait()
            with transaction.atomic():
                services.approve(checker, payroll.pk, payroll.version)
            outcomes.append("released")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(c,)) for c in checkers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "released"]
    released = Payroll.objects.get(pk=payroll.pk)
    assert (released.status, released.version) == ("released", payroll.version + 1)
    assert AuditEvent.objects.filter(action="payroll.released").count() == 1
    assert Line.objects.filter(payroll=payroll, settled=True).count() == 3


def test_two_makers_generating_at_once_leave_one_payroll_without_duplicates(transactional_regions):
    clerk = make_user("township_clerk", TOWNSHIP_A)
    household = make_household(first_village(TOWNSHIP_A), members=2)
    with_account(household.members.get(relation="head"))
    approved(household, created_by=clerk)
    makers = [make_user("county_admin", COUNTY) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def run(maker):
        try:
            barrier.wait()
            with transaction.atomic():
                generation.generate(maker, COUNTY, "dibao", NOVEMBER)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(m,)) for m in makers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    payroll = Payroll.objects.get()
    assert (payroll.generation, payroll.line_count, Line.objects.count()) == (2, 1, 1)
