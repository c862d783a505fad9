"""高龄津贴 免申即享: the monthly screening proposes each elder the rules find eligible (80+,
alive, without a case), once; the county confirms in bulk — an approved case paid from the next
month, with its evaluation and notice — or declines with a reason; the payroll of the next
month pays the elder; a death or a move out of the county ends the case."""

from datetime import date

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.cases import automatic, deaths
from minzheng.cases.errors import Error
from minzheng.cases.models import Case, Proposal, Status
from minzheng.documents.models import Document
from minzheng.kit.errors import Forbidden, NotFound
from minzheng.payments.generation import generate
from minzheng.registry.models import Person
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user
from tests.refusals import refused

TODAY = date(2024, 11, 15)
COUNTY = "330122000000"


def _elder(born: date, **fields) -> Person:
    household = make_household(first_village(TOWNSHIP_A), members=1)
    person = household.members.get()
    Person.objects.filter(pk=person.pk).update(birth_date=born, **fields)
    return Person.objects.get(pk=person.pk)


@pytest.fixture
def elders(regions):
    return {
        "81": _elder(date(1943, 1, 1)),
        "90": _elder(date(1934, 3, 1)),
        "79": _elder(date(1945, 6, 1)),
        "dead": _elder(date(1930, 1, 1), died_on=date(2024, 10, 2)),
    }


@pytest.fixture
def approver(regions):
    return make_user("county_approver", COUNTY)


def _waiting() -> list[tuple[int, int, int]]:
    rows = Proposal.objects.filter(status=Proposal.Status.PROPOSED).order_by("-age")
    return list(rows.values_list("person_id", "age", "amount_fen"))


def test_the_screening_proposes_each_eligible_elder_once(elders, approver):
    found = automatic.screen(approver, COUNTY, TODAY)
    assert (found.month, found.eligible, found.proposed) == (date(2024, 11, 1), 2, 2)
    assert _waiting() == [(elders["90"].pk, 90, 20000), (elders["81"].pk, 81, 10000)]
    again = automatic.screen(approver, COUNTY, date(2024, 12, 2))
    assert (again.eligible, again.proposed) == (2, 0)
    assert Proposal.objects.count() == 2
    event = AuditEvent.objects.filter(action="case.automatic_screened").order_by("seq").first()
    assert event.after == {
        "program": "elderly",
        "month": "2024-11-01",
        "eligible": 2,
        "proposed": 2,
    }


def test_confirmed_elders_get_a_case_paid_from_next_month(elders, approver):
    automatic.screen(approver, COUNTY, TODAY)
    chosen = list(Proposal.objects.order_by("-age").values_list("pk", flat=True))
    result = automatic.confirm(approver, chosen, TODAY)
    assert (len(result.cases), result.refused) == (2, [])
    case = Case.objects.get(person=elders["90"])
    assert (case.program, case.channel, case.status, case.amount_fen, case.start_month) == (
        "elderly",
        "automatic",
        Status.APPROVED,
        20000,
        date(2024, 12, 1),
    )
    assert case.snapshot.explanation["as_of"] == "2024-11-15"
    assert Document.objects.filter(kind="decision", record_id=case.pk).count() == 1
    assert _waiting() == []
    assert list(Proposal.objects.values_list("status", flat=True)) == ["confirmed"] * 2
    assert automatic.screen(approver, COUNTY, date(2024, 12, 2)).proposed == 0  # now a case


def test_the_next_payroll_pays_the_confirmed_elder(elders, approver):
    automatic.screen(approver, COUNTY, TODAY)
    one = Proposal.objects.get(person=elders["81"])
    automatic.confirm(approver, [one.pk], TODAY)
    maker = make_user("county_admin", COUNTY)
    november = generate(maker, COUNTY, "elderly", date(2024, 11, 1))
    assert november.line_count == 0  # confirmed in November: paid from December
    december = generate(maker, COUNTY, "elderly", date(2024, 12, 1))
    line = december.lines.get()
    assert (line.beneficiary_id, line.amount_fen, december.line_count) == (
        elders["81"].pk,
        10000,
        1,
    )


def test_a_declined_elder_is_not_proposed_again_within_a_year(elders, approver):
    automatic.screen(approver, COUNTY, TODAY)
    one = Proposal.objects.get(person=elders["81"])
    with refused(Error.DECLINE_REASON_REQUIRED):
        automatic.decline(approver, [one.pk], "  ", TODAY)
    assert automatic.decline(approver, [one.pk], "已由外县发放", TODAY) == 1
    assert automatic.screen(approver, COUNTY, date(2025, 5, 30)).proposed == 0
    # a year after the decline he is proposed again, with the elder who turned 80 on 1 June
    assert automatic.screen(approver, COUNTY, date(2025, 11, 17)).proposed == 2
    waiting = {person for person, _age, _amount in _waiting()}
    assert waiting == {elders["81"].pk, elders["79"].pk, elders["90"].pk}


@pytest.mark.parametrize(
    ("case", "role", "home", "error"),
    [
        ("a township clerk does not screen", "township_clerk", TOWNSHIP_A, Forbidden),
        ("another county's approver", "county_approver", "330127000000", NotFound),
    ],
)
def test_refused_screenings_propose_nothing(elders, case, role, home, error):
    from minzheng.regions.models import Region

    Region.objects.get_or_create(
        code="330127000000", defaults={"name": "淳安县", "level": 3, "parent_id": "330100000000"}
    )
    actor = make_user(role, home)
    events = AuditEvent.objects.count()
    with pytest.raises(error):
        automatic.screen(actor, COUNTY, TODAY)
    assert (Proposal.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_only_the_county_confirms(elders, approver):
    automatic.screen(approver, COUNTY, TODAY)
    chosen = list(Proposal.objects.values_list("pk", flat=True))
    with refused(Error.CONFIRM_NOT_PERMITTED):
        automatic.confirm(make_user("township_clerk", TOWNSHIP_A), chosen, TODAY)
    assert (Case.objects.count(), len(_waiting())) == (0, 2)


def _confirmed(elders, approver, key: str) -> Case:
    automatic.screen(approver, COUNTY, TODAY)
    automatic.confirm(approver, [Proposal.objects.get(person=elders[key]).pk], TODAY)
    return Case.objects.get(person=elders[key])


def test_a_death_ends_the_allowance(elders, approver):
    case = _confirmed(elders, approver, "81")
    assert deaths.person_died(approver, elders["81"].pk, date(2025, 1, 9)) == {
        "ended": [case.number],
        "recheck": [],
    }
    case.refresh_from_db()
    assert (case.status, case.ended_on, case.decision_reason) == (
        Status.ENDED,
        date(2025, 1, 9),
        "死亡",
    )


def test_a_move_out_of_the_county_ends_the_allowance_and_stops_the_proposals(elders, approver):
    case = _confirmed(elders, approver, "81")
    deaths.person_moved_out(approver, elders["81"].pk, date(2025, 2, 3))
    case.refresh_from_db()
    assert (case.status, case.ended_on, case.decision_reason) == (
        Status.ENDED,
        date(2025, 2, 3),
        "户籍迁出",
    )
    assert Person.objects.get(pk=elders["81"].pk).moved_out_on == date(2025, 2, 3)
    assert automatic.screen(approver, COUNTY, date(2025, 3, 3)).proposed == 0
