"""A warning's life: raised once per indicator, person and period; assigned, verified by a
visit, closed with an outcome; a confirmed death ends the case."""

import json
from datetime import date

import polars as pl
import pytest

from minzheng.audit.models import AuditEvent
from minzheng.cases.models import Case, Status
from minzheng.kit.errors import Conflict, NotFound
from minzheng.monitoring import services
from minzheng.monitoring.errors import Error
from minzheng.monitoring.models import Warning
from tests.factories import TOWNSHIP_B, first_village, make_user
from tests.refusals import refused

TODAY = date(2024, 11, 4)


def found(household, indicator="recipient_died", severity="red", **detail):
    head = household.members.order_by("id").first()
    return pl.DataFrame(
        {
            "indicator": [indicator],
            "severity": [severity],
            "person_id": [head.pk],
            "household_id": [household.pk],
            "region_code": [household.region_id],
            "detail": [json.dumps({"source": "1:2", **detail})],
        }
    )


@pytest.fixture
def warning(household, receiving):
    services.raise_warnings(
        "330122000000", "2024-10", found(household, died_on="2024-10-12"), TODAY
    )
    return Warning.objects.get()


def test_raising_twice_keeps_one_warning_with_the_severity_deadline(household, receiving):
    frame = found(household, died_on="2024-10-12")
    assert services.raise_warnings("330122000000", "2024-10", frame, TODAY) == 1
    assert services.raise_warnings("330122000000", "2024-10", frame, TODAY) == 0
    warning = Warning.objects.get()
    assert (warning.status, warning.due_on, warning.detail) == (
        "open",
        date(2024, 11, 11),
        {"source": "1:2", "died_on": "2024-10-12"},
    )
    yellow = found(household, "age_60", "yellow")
    services.raise_warnings("330122000000", "2024-10", yellow, TODAY)
    assert Warning.objects.get(indicator="age_60").due_on == date(2024, 12, 2)  # 20 working days


def test_assign_visit_and_close(people, warning):
    reviewer, village = people["township_reviewer"], people["village_worker"]
    warning = services.assign(reviewer, warning.pk, warning.version, village.region_id)
    assert (warning.status, warning.assigned_to_id) == ("assigned", village.region_id)
    warning = services.record_visit(
        village, warning.pk, warning.version, TODAY, "家属确认已去世", TODAY
    )
    assert (warning.status, warning.visited_on) == ("verified", TODAY)
    warning = services.close(
        people["county_approver"], warning.pk, warning.version, "exclude", "死亡"
    )
    assert (warning.status, warning.outcome) == ("closed", "exclude")
    case = Case.objects.get()
    head = case.household.members.order_by("id").first()
    head.refresh_from_db()
    # The spouse lives on: the household's 低保 is due for 复核 at once (recomputed without him).
    assert (case.status, case.next_review_on) == (Status.APPROVED, date(2024, 10, 12))
    assert head.died_on == date(2024, 10, 12)
    actions = list(
        AuditEvent.objects.filter(object_type="warning")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["warning.assigned", "warning.verified", "warning.closed"]


def test_a_confirmed_death_of_the_only_member_ends_the_case(people, regions):
    from tests.factories import TOWNSHIP_A, make_household
    from tests.monitoring.conftest import approve_dibao

    alone = make_household(first_village(TOWNSHIP_A), members=1)
    case = approve_dibao(people, alone)
    services.raise_warnings("330122000000", "2024-10", found(alone, died_on="2024-10-12"), TODAY)
    warning = Warning.objects.get()
    clerk = people["township_clerk"]
    warning = services.record_visit(clerk, warning.pk, warning.version, TODAY, "已去世", TODAY)
    services.close(people["county_approver"], warning.pk, warning.version, "exclude", "死亡")
    case.refresh_from_db()
    assert (case.status, case.ended_on, case.decision_reason) == (
        Status.ENDED,
        date(2024, 10, 12),
        "死亡",
    )


def test_a_township_cannot_stop_aid_for_a_death(people, warning):
    clerk = people["township_clerk"]
    warning = services.record_visit(clerk, warning.pk, warning.version, TODAY, "已核实", TODAY)
    with refused(Error.DEATH_NEEDS_COUNTY):
        services.close(clerk, warning.pk, warning.version, "exclude", "死亡")
    warning.refresh_from_db()
    assert (warning.status, Case.objects.get().status) == ("verified", Status.APPROVED)
    closed = services.close(clerk, warning.pk, warning.version, "false_alarm", "同名误报")
    assert (closed.status, Case.objects.get().status) == ("closed", Status.APPROVED)


def test_refusals_change_nothing(people, warning):
    clerk = people["township_clerk"]
    with refused(Error.WARNING_WRONG_STATUS):
        services.close(clerk, warning.pk, warning.version, "assist", "x")  # not verified yet
    with refused(Error.VISIT_NOTE_MISSING):
        services.record_visit(clerk, warning.pk, warning.version, TODAY, " ", TODAY)
    with refused(Error.VISIT_IN_FUTURE):
        services.record_visit(clerk, warning.pk, warning.version, date(2024, 11, 5), "x", TODAY)
    with pytest.raises(Conflict):
        services.record_visit(clerk, warning.pk, warning.version + 1, TODAY, "x", TODAY)
    with refused(Error.ASSIGN_OUTSIDE):
        services.assign(clerk, warning.pk, warning.version, first_village(TOWNSHIP_B))
    with refused(Error.ASSIGN_NOT_PERMITTED):
        services.assign(people["village_worker"], warning.pk, warning.version, TOWNSHIP_B)
    other = make_user("township_clerk", TOWNSHIP_B)
    with pytest.raises(NotFound):
        services.record_visit(other, warning.pk, warning.version, TODAY, "x", TODAY)
    warning.refresh_from_db()
    assert (warning.status, warning.version, warning.visited_on) == ("open", 1, None)
    assert not AuditEvent.objects.filter(object_type="warning").exists()
