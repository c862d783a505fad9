"""The fictional filing (tests/procedures/fiction), declared with the platform alone, through
its three steps: numbered when submitted, a review of ten working days started at acceptance,
the work queues and the overdue list read off the steps, refusals in the skeleton's order that
change nothing, and the receipt issued when filed."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from minzheng.accounts.models import User
from minzheng.audit.models import AuditEvent
from minzheng.documents.models import Document
from minzheng.kit.errors import Conflict, Forbidden, NotFound, ValidationFailed
from minzheng.procedures import selectors
from minzheng.procedures.models import Counter, Deadline
from minzheng.procedures.services import open_record, perform
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_user
from tests.procedures.fiction.models import Filing
from tests.procedures.fiction.steps import FILING

SUBMITTED = date(2024, 9, 27)  # a Friday; 1–7 October off, 29 September and 12 October worked
COUNTY = "330122000000"


def _with(user: User, *codenames: str) -> User:
    found = Permission.objects.filter(content_type__app_label="fiction", codename__in=codenames)
    user.user_permissions.add(*found)
    return User.objects.get(pk=user.pk)  # permissions are cached on the instance


@pytest.fixture
def staff(regions):
    return {
        "clerk": _with(make_user("township_clerk", TOWNSHIP_A), "view_filing", "accept_filing"),
        "county": _with(make_user("county_approver", COUNTY), "view_filing", "decide_filing"),
        "elsewhere": _with(make_user("township_clerk", TOWNSHIP_B), "view_filing", "accept_filing"),
    }


def _submitted(staff) -> Filing:
    return open_record(
        FILING,
        staff["clerk"],
        counter="fic_file",
        prefix="测",
        today=SUBMITTED,
        region_id=first_village(TOWNSHIP_A),
        institution="阳光养老院",
    )


def _timeline(filing) -> list[str]:
    return [e.action for e in selectors.timeline(FILING, filing)]


def test_a_filing_from_submission_to_its_receipt(staff, client):
    filing = _submitted(staff)
    assert (filing.number, filing.status, filing.version) == (
        "测〔2024〕330122-00001号",
        "submitted",
        1,
    )
    filing = perform(FILING, staff["clerk"], filing.pk, "accept", 1, SUBMITTED)
    review = Deadline.objects.get(procedure="fiction_filing", record_id=filing.pk)
    # ten working days after 27 Sep: 29, 30 Sep, 8–12 Oct (12th worked), 14, 15, 16 Oct
    assert (review.kind, review.unit, review.length, review.due_on) == (
        "review",
        "working_day",
        10,
        date(2024, 10, 16),
    )
    assert (review.provisional, review.stopped_on) == (False, None)
    queues = {q.key: q.count for q in selectors.work_queues(FILING, staff["county"], SUBMITTED)}
    assert queues == {"file": 1}
    assert list(selectors.overdue(FILING, staff["county"], date(2024, 10, 16))) == []
    late = list(selectors.overdue(FILING, staff["county"], date(2024, 10, 17)))
    assert [(f.pk, f.overdue_since) for f in late] == [(filing.pk, date(2024, 10, 16))]

    filing = perform(FILING, staff["county"], filing.pk, "file", 2, date(2024, 10, 18))
    assert (filing.status, filing.filed_on, filing.version) == ("filed", date(2024, 10, 18), 3)
    assert Deadline.objects.get(record_id=filing.pk).stopped_on == date(2024, 10, 18)
    assert list(selectors.overdue(FILING, staff["county"], date(2024, 10, 21))) == []
    receipt = Document.objects.get()
    assert (receipt.kind, receipt.number, receipt.procedure, receipt.record_id) == (
        "fiction_receipt",
        "测备〔2024〕330122-00001号",
        "fiction_filing",
        filing.pk,
    )
    assert receipt.payload == {"institution": "阳光养老院", "filed_on": "2024-10-18"}
    assert _timeline(filing) == [
        "fiction_filing.submitted",
        "fiction_filing.accept",
        "fiction_filing.file",
    ]
    accepted = AuditEvent.objects.get(action="fiction_filing.accept")
    assert (accepted.before, accepted.after) == (
        {"status": "submitted"},
        {"status": "accepted", "number": filing.number, "review_due_on": "2024-10-16"},
    )
    client.force_login(staff["county"])
    page = client.get(f"/documents/{receipt.pk}/").content.decode()
    assert '<p id="receipt-institution">阳光养老院</p>' in page


def _refused(staff, actor: str, action: str, version: int, error, **data) -> None:
    filing = Filing.objects.get()
    events, deadlines = AuditEvent.objects.count(), Deadline.objects.count()
    with pytest.raises(error):
        perform(FILING, staff[actor], filing.pk, action, version, SUBMITTED, **data)
    again = Filing.objects.get()
    assert (again.status, again.version, again.reason) == (filing.status, filing.version, "")
    assert (AuditEvent.objects.count(), Deadline.objects.count()) == (events, deadlines)
    assert Document.objects.count() == 0


@pytest.mark.parametrize(
    ("case", "actor", "action", "version", "error", "data"),
    [
        ("another region's filing is not found", "elsewhere", "accept", 1, NotFound, {}),
        ("no permission for the step", "clerk", "file", 1, Forbidden, {}),
        ("not a status the step leaves", "county", "file", 1, Conflict, {}),
        ("a stale version", "clerk", "accept", 7, Conflict, {}),
    ],
)
def test_refusals_come_in_order_and_change_nothing(
    staff, case, actor, action, version, error, data
):
    _submitted(staff)
    _refused(staff, actor, action, version, error, **data)


def test_an_invalid_step_is_refused_before_it_writes(staff):
    filing = _submitted(staff)
    perform(FILING, staff["clerk"], filing.pk, "accept", 1, SUBMITTED)
    _refused(staff, "county", "refuse", 2, ValidationFailed, reason="  ")


def test_a_refusal_closes_the_review(staff):
    filing = _submitted(staff)
    perform(FILING, staff["clerk"], filing.pk, "accept", 1, SUBMITTED)
    filing = perform(
        FILING, staff["county"], filing.pk, "refuse", 2, date(2024, 10, 8), reason="材料不实"
    )
    assert (filing.status, filing.reason) == ("refused", "材料不实")
    assert Deadline.objects.get(record_id=filing.pk).stopped_on == date(2024, 10, 8)
    assert Document.objects.count() == 0


def test_numbers_have_no_gap_when_a_submission_is_rolled_back(staff):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _submitted(staff)
        raise RuntimeError("the caller's transaction fails")
    assert (Filing.objects.count(), Counter.objects.filter(kind="fic_file").count()) == (0, 0)
    assert _submitted(staff).number == "测〔2024〕330122-00001号"
