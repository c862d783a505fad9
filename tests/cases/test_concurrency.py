"""Two county approvers deciding the same case at the same moment: one decision, one clear
conflict, one notice number. Only PostgreSQL runs the two transactions really concurrently."""

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from minzheng.audit.models import AuditEvent
from minzheng.cases import services
from minzheng.cases.errors import Error
from minzheng.cases.models import Case, Status
from minzheng.kit.errors import Conflict
from minzheng.procedures.models import Counter
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user

TODAY = date(2024, 10, 8)
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"
)


def test_two_approvers_at_once_decide_once(transactional_regions):
    household = make_household(first_village(TOWNSHIP_A), members=1)
    clerk = make_user("township_clerk", TOWNSHIP_A)
    case = services.apply(clerk, household.pk, "dibao", date(2024, 10, 8))
    Case.objects.filter(pk=case.pk).update(status=Status.AWAITING, accepted_on=date(2024, 10, 8))
    approvers = [make_user("county_approver", "330122000000") for _ in range(2)]
    version = Case.objects.get(pk=case.pk).version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(approver, action, data):
        try:
            barrier.wait()
            with transaction.atomic():
                services.perform(approver, case.pk, action, version, date(2024, 10, 21), **data)
            outcomes.append(action)
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(approvers[0], "approve", {"amount_fen": 115900})),
        threading.Thread(target=decide, args=(approvers[1], "reject", {"reason": "收入超标"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) in (["approve", "conflict"], ["conflict", "reject"])
    decided = Case.objects.get(pk=case.pk)
    assert decided.status == (Status.APPROVED if "approve" in outcomes else Status.REJECTED)
    assert decided.version == version + 1
    assert AuditEvent.objects.filter(action__in=["case.approve", "case.reject"]).count() == 1


def test_two_applications_at_once_open_one_case(transactional_regions):
    """Two clerks file the same household's 低保 application at the same moment, each on its
    own connection: the database's one-live-case rule gives one case and one conflict, and the
    loser's case number is given back (no gap)."""
    household = make_household(first_village(TOWNSHIP_A), members=1)
    clerks = [make_user("township_clerk", TOWNSHIP_A) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def apply(clerk):
        try:
            barrier.wait()
            with transaction.atomic():
                outcomes.append(services.apply(clerk, household.pk, "dibao", TODAY).number)
        except Conflict as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["SA〔2024〕330122-00001号", Error.DUPLICATE_APPLICATION.code]
    assert list(Case.objects.values_list("number", "household_id")) == [
        ("SA〔2024〕330122-00001号", household.pk)
    ]
    assert AuditEvent.objects.filter(action="case.submitted").count() == 1
    assert Counter.objects.get(kind="case").last == 1


def test_notice_numbers_never_repeat_under_concurrency(transactional_regions):
    from minzheng.procedures.numbering import next_number

    numbers: list[str] = []
    barrier = threading.Barrier(4)

    def take():
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(next_number("notice", "330122000000", 2024, prefix="民救"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == [f"民救〔2024〕330122-{n:05d}号" for n in range(1, 21)]
    assert Counter.objects.get(kind="notice").last == 20
