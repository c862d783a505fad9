"""Periods moved by steps: a pause stops the count (a hearing, 行政许可法 art. 45) and its days
are not counted once it resumes, a paused period is never overdue, one extension and no second,
and an end in the year whose holidays are not published yet is marked provisional."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from minzheng.accounts.models import User
from minzheng.kit.workdays import last_published_year
from minzheng.procedures import selectors
from minzheng.procedures.declare import Procedure, Step, register
from minzheng.procedures.errors import Error
from minzheng.procedures.models import Deadline
from minzheng.procedures.services import open_record, perform
from tests.factories import TOWNSHIP_A, first_village, make_user
from tests.procedures.fiction.models import Filing
from tests.procedures.fiction.steps import REVIEW
from tests.refusals import refused

S = Filing.Status
ACCEPTED = frozenset({S.ACCEPTED})
HEARING = register(
    Procedure(
        code="fiction_hearing",
        label="虚构备案（听证）",
        model=Filing,
        view_permission="fiction.view_filing",
        closed=frozenset({S.FILED}),
        steps=(
            Step("accept", "受理", "fiction.accept_filing", frozenset({S.SUBMITTED}), S.ACCEPTED,
                 starts=(REVIEW,)),
            Step("hear", "举行听证", "fiction.accept_filing", ACCEPTED, pauses=("review",)),
            Step("heard", "听证结束", "fiction.accept_filing", ACCEPTED, resumes=("review",)),
            Step("extend", "延长审查期限", "fiction.accept_filing", ACCEPTED, extends="review"),
        ),
    )
)  # fmt: skip


@pytest.fixture
def clerk(regions):
    user = make_user("township_clerk", TOWNSHIP_A)
    codenames = ("view_filing", "accept_filing")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)


def _accepted(clerk, day: date) -> Filing:
    filing = open_record(
        HEARING,
        clerk,
        counter="fic_hear",
        prefix="听",
        today=day,
        region_id=first_village(TOWNSHIP_A),
        institution="阳光养老院",
    )
    return perform(HEARING, clerk, filing.pk, "accept", 1, day)


def _review(filing) -> Deadline:
    return Deadline.objects.get(procedure="fiction_hearing", record_id=filing.pk)


def test_a_hearing_pauses_the_review_and_its_days_do_not_count(clerk):
    filing = _accepted(clerk, date(2024, 9, 27))
    assert _review(filing).due_on == date(2024, 10, 16)
    filing = perform(HEARING, clerk, filing.pk, "hear", 2, date(2024, 10, 8))
    paused = _review(filing)
    assert (paused.paused_since, paused.due_on) == (date(2024, 10, 8), None)
    assert list(selectors.overdue(HEARING, clerk, date(2024, 12, 1))) == []
    filing = perform(HEARING, clerk, filing.pk, "heard", 3, date(2024, 10, 10))
    resumed = _review(filing)
    # 9 and 10 October were working days inside the pause: the end moves two working days
    assert (resumed.paused_since, resumed.pauses, resumed.due_on) == (
        None,
        [["2024-10-08", "2024-10-10"]],
        date(2024, 10, 18),
    )


def test_resuming_what_is_not_paused_is_refused(clerk):
    filing = _accepted(clerk, date(2024, 9, 27))
    with refused(Error.PERIOD_NOT_PAUSED):
        perform(HEARING, clerk, filing.pk, "heard", 2, date(2024, 10, 10))
    assert (Filing.objects.get().version, _review(filing).pauses) == (2, [])


def test_one_extension_and_no_second(clerk):
    filing = _accepted(clerk, date(2024, 9, 27))
    filing = perform(HEARING, clerk, filing.pk, "extend", 2, date(2024, 10, 14))
    extended = _review(filing)
    # twenty working days from 27 September: … 16 (10th) … 25 Oct (17th), 28, 29, 30 Oct
    assert (extended.extended, extended.length, extended.due_on) == (
        True,
        20,
        date(2024, 10, 30),
    )
    with refused(Error.PERIOD_EXTENDED_ONCE):
        perform(HEARING, clerk, filing.pk, "extend", 3, date(2024, 10, 15))
    assert (Filing.objects.get().version, _review(filing).due_on) == (3, date(2024, 10, 30))


def test_an_end_in_the_unpublished_year_is_provisional(clerk):
    filing = _accepted(clerk, date(last_published_year(), 12, 24))
    review = _review(filing)
    assert (review.due_on.year, review.provisional) == (last_published_year() + 1, True)


def test_a_period_set_by_a_parameter_takes_its_value_and_unit(clerk):
    from minzheng.procedures.parameters import region_parameter

    filing = _accepted(clerk, date(2024, 9, 27))
    assert region_parameter("cases.publicity_days", date(2024, 9, 27), filing) == (7, "日")
    decision = region_parameter("cases.decision_working_days", date(2024, 9, 27), filing)
    assert decision == (30, "工作日")
