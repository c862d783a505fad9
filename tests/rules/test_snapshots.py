"""Decision snapshots: kept with their explanation, reproducible after the rules moved on,
tamper-evident, scoped and audited."""

from datetime import date
from decimal import Decimal

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.kit.errors import NotFound
from minzheng.registry.models import IncomeItem
from minzheng.rules import snapshots
from minzheng.rules.errors import Error
from minzheng.rules.models import DecisionSnapshot
from minzheng.rules.publication import Proposal, publish
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_household, make_user
from tests.refusals import refused

AS_OF = date(2024, 8, 1)


@pytest.fixture
def household(regions):
    household = make_household(first_village(TOWNSHIP_A), members=2)  # born 1950 and 1960
    IncomeItem.objects.create(
        person=household.members.first(), category="wage", period="monthly", amount=Decimal("1000")
    )
    return household


@pytest.fixture
def clerk(regions):
    return make_user("township_clerk", TOWNSHIP_A)


def _dibao(explanation: dict) -> dict:
    return next(p for p in explanation["programs"] if p["code"] == "dibao")


def test_a_snapshot_keeps_facts_explanation_and_is_audited(clerk, household):
    snapshot = snapshots.take(clerk, household.pk, AS_OF, "application", "DB-2024-001")
    assert (
        _dibao(snapshot.explanation)["eligible"],
        _dibao(snapshot.explanation)["amount_fen"],
    ) == (
        True,
        131800,
    )
    assert snapshot.facts["members"][0]["incomes"] == [
        {"period": "monthly", "amount_fen": 100000, "excluded": False}
    ]
    assert snapshot.facts["members"][0]["birth_date"] == "1950-03-01"
    event = AuditEvent.objects.get(action="rules.snapshot_taken")
    assert (event.object_id, event.region_code) == (str(snapshot.pk), household.region_id)
    assert event.after["eligible"] == snapshot.explanation["eligible"]
    assert snapshots.verify(snapshot).ok


def test_it_reproduces_after_the_standard_was_raised(clerk, household):
    snapshot = snapshots.take(clerk, household.pk, AS_OF, "application")
    publish(
        make_user("county_admin", "330122000000"),
        Proposal("dibao.standard", "330122000000", "rural", date(2024, 1, 1), Decimal("1300"), "X"),
    )
    again = snapshots.reproduce(DecisionSnapshot.objects.get(pk=snapshot.pk))
    assert _dibao(again)["amount_fen"] == 131800  # the stored 1159, not today's 1300
    assert snapshots.verify(DecisionSnapshot.objects.get(pk=snapshot.pk)).ok


def test_an_edited_snapshot_is_detected(clerk, household):
    snapshot = snapshots.take(clerk, household.pk, AS_OF, "application")
    tampered = snapshot.explanation
    _dibao(tampered)["amount_fen"] = 200000
    DecisionSnapshot.objects.filter(pk=snapshot.pk).update(explanation=tampered)
    check = snapshots.verify(DecisionSnapshot.objects.get(pk=snapshot.pk))
    assert (check.digest_ok, check.same_result, check.differences) == (False, False, ["dibao"])


def test_snapshots_are_scoped_and_need_the_permission(clerk, household):
    snapshot = snapshots.take(clerk, household.pk, AS_OF, "application")
    with refused(Error.SNAPSHOT_NOT_FOUND):
        snapshots.get(make_user("township_reviewer", TOWNSHIP_B), snapshot.pk)
    with pytest.raises(NotFound):  # the household is outside the user's region
        snapshots.take(make_user("township_clerk", TOWNSHIP_B), household.pk, AS_OF, "x")
    with refused(Error.SNAPSHOT_NOT_PERMITTED):
        snapshots.take(make_user("village_worker", household.region_id), household.pk, AS_OF, "x")
    assert snapshots.get(make_user("city_viewer", "330100000000"), snapshot.pk) == snapshot
    assert DecisionSnapshot.objects.count() == 1


def test_snapshot_api(client, clerk, household):
    client.force_login(clerk)
    made = client.post(
        f"/api/rules/households/{household.pk}/snapshots",
        {"as_of": "2024-08-01", "purpose": "application"},
        content_type="application/json",
    )
    assert made.status_code == 201
    read = client.get(f"/api/rules/snapshots/{made.json()['id']}").json()
    assert (read["digest_ok"], read["same_result"], read["differences"]) == (True, True, [])
    assert _dibao(read["explanation"])["amount_fen"] == 131800
    refused = client.post(
        f"/api/rules/households/{household.pk}/snapshots",
        {"as_of": "2024-08-01", "purpose": ""},
        content_type="application/json",
    )
    assert refused.status_code == 422 and DecisionSnapshot.objects.count() == 1
