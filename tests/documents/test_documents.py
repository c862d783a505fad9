"""Documents: the decision notice kept as issued, the village's 公示 list and the 核对
authorisation form, numbered without gaps per county and year, dated, audited; refusals
issue nothing."""

from datetime import date

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.cases import printouts as services
from minzheng.cases import services as cases
from minzheng.documents.models import Document
from minzheng.kit.errors import Forbidden, NotFound, ValidationFailed
from minzheng.kit.masking import mask_id_number, mask_name
from minzheng.procedures.models import Counter
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_user
from tests.monitoring.conftest import approve_dibao

OCT12 = date(2024, 10, 12)


def test_the_decision_issues_its_notice_with_the_decisions_number(people, household):
    case = approve_dibao(people, household)
    document = Document.objects.get()
    assert (document.kind, document.number, document.issued_on, document.record_id) == (
        "decision",
        "民救〔2024〕330122-00001号",
        date(2024, 10, 21),
        case.pk,
    )
    assert document.title == "最低生活保障批准通知书"
    head = household.members.get(relation="head")
    assert document.payload == {
        "program": "最低生活保障",
        "rejected": False,
        "one_off": False,
        "emergency": False,
        "bureau": "桐庐县民政局",
        "county": "桐庐县",
        "case_number": case.number,
        "household_number": household.number,
        "head": head.name,
        "person": "",
        "submitted_on": "2024-09-27",
        "decided_on": "2024-10-21",
        "amount_fen": case.amount_fen,
        "start_month": "2024-11-01",
        "next_review_on": case.next_review_on.isoformat(),
        "reasons": "",
    }
    event = AuditEvent.objects.get(action="document.issued")
    assert (event.actor_id, event.object_id, event.after["number"]) == (
        people["county_approver"].pk,
        str(document.pk),
        "民救〔2024〕330122-00001号",
    )


def test_a_reprinted_notice_shows_the_decision_as_issued(client, people, household):
    case = approve_dibao(people, household)
    granted = case.amount_fen
    cases.perform(
        people["township_clerk"],
        case.pk,
        "recheck",
        case.version,
        date(2024, 11, 20),
        outcome="increase",
        amount_fen=granted + 10000,
    )
    client.force_login(people["township_clerk"])
    body = client.get(f"/cases/{case.pk}/notice/").content.decode()
    assert f'<strong id="notice-amount">{granted // 100:,}.00</strong>' in body
    assert "2024年10月21日" in body and "民救〔2024〕330122-00001号" in body


def test_a_rejection_notice_gives_the_reasons(people, household):
    from tests.documents.conftest import publicised

    case = publicised(people, household)
    clerk, approver = people["township_clerk"], people["county_approver"]
    case = cases.perform(clerk, case.pk, "close_publicity", case.version, date(2024, 10, 17))
    cases.perform(
        approver,
        case.pk,
        "reject",
        case.version,
        date(2024, 10, 21),
        reason="家庭人均收入高于低保标准",
    )
    document = Document.objects.get()
    assert (document.kind, document.title) == ("rejection", "最低生活保障不予批准通知书")
    assert (document.payload["rejected"], document.payload["reasons"]) == (
        True,
        "家庭人均收入高于低保标准",
    )
    assert document.payload["amount_fen"] is None


def test_the_publicity_list_is_numbered_per_county_and_year(people, household, under_notice):
    clerk = people["township_clerk"]
    first = services.issue_publicity(clerk, household.region_id, OCT12)
    second = services.issue_publicity(clerk, household.region_id, date(2024, 10, 14))
    assert (first.number, second.number) == (
        "民公〔2024〕330122-00001号",
        "民公〔2024〕330122-00002号",
    )
    assert first.payload["issuer"] == "旧县街道办事处"
    head = household.members.get(relation="head")
    assert first.payload["rows"] == [
        {
            "number": under_notice.number,
            "name": mask_name(head.name),
            "members": 2,
            "program": "最低生活保障",
            "amount": "1,318.00",  # 桐庐 rural 低保 line for two, less 1,000 of wages
            "ends_on": "2024-10-17",
        }
    ]
    assert head.name not in str(first.payload)
    next_year = (
        services.issue_publicity(clerk, household.region_id, date(2025, 1, 2)) if False else None
    )
    assert next_year is None
    assert Counter.objects.get(kind="publicity").last == 2


def test_a_new_year_starts_the_numbers_again(people, household, under_notice):
    from minzheng.documents.issuing import issue
    from minzheng.documents.kinds import KINDS
    from minzheng.procedures.numbering import next_number

    clerk = people["township_clerk"]
    services.issue_publicity(clerk, household.region_id, OCT12)
    document = issue(
        clerk,
        KINDS["publicity"],
        region_code=household.region_id,
        today=date(2025, 1, 3),
        payload={},
    )
    assert document.number == "民公〔2025〕330122-00001号"
    assert next_number("publicity", "330122000000", 2024, prefix="民公") == (
        "民公〔2024〕330122-00002号"
    )


def _nothing_issued(call, error):
    events, counters = AuditEvent.objects.count(), list(Counter.objects.values_list("kind", "last"))
    with pytest.raises(error):
        call()
    assert Document.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert list(Counter.objects.values_list("kind", "last")) == counters


@pytest.mark.parametrize(
    ("case", "role", "home", "village", "error"),
    [
        ("a reviewer does not publicise", "township_reviewer", TOWNSHIP_A, "own", Forbidden),
        ("another township's clerk", "township_clerk", TOWNSHIP_B, "own", NotFound),
        ("a township is not a village", "township_clerk", TOWNSHIP_A, TOWNSHIP_A, NotFound),
        (
            "a village with nothing under notice",
            "township_clerk",
            TOWNSHIP_A,
            "empty",
            ValidationFailed,
        ),
    ],
)
def test_refused_publicity_lists_issue_nothing(
    household, under_notice, case, role, home, village, error
):
    actor = make_user(role, home)
    code = {"own": household.region_id, "empty": _other_village()}.get(village, village)
    _nothing_issued(lambda: services.issue_publicity(actor, code, OCT12), error)


def _other_village() -> str:
    from minzheng.regions.models import Region

    return (
        Region.objects.filter(code__startswith=TOWNSHIP_A[:9], level=5)
        .exclude(code=first_village(TOWNSHIP_A))
        .values_list("code", flat=True)
        .first()
    )


def test_the_authorisation_form_lists_the_adults_to_sign(people, household, under_notice):
    clerk = people["township_clerk"]
    document = services.issue_consent_form(clerk, under_notice.pk, OCT12)
    assert (document.number, document.kind, document.record_id) == (
        "民核〔2024〕330122-00001号",
        "consent",
        under_notice.pk,
    )
    members = list(household.members.order_by("id"))
    assert document.payload["signers"] == [
        {
            "name": p.name,
            "relation": str(p.get_relation_display()),
            "id_number": mask_id_number(p.id_number),
            "role": "家庭成员",
        }
        for p in members
    ]
    assert all(p.id_number not in str(document.payload) for p in members)


@pytest.mark.parametrize(
    ("case", "role", "home", "error"),
    [
        ("a reviewer does not investigate", "township_reviewer", TOWNSHIP_A, Forbidden),
        ("another township's clerk", "township_clerk", TOWNSHIP_B, NotFound),
        ("a resident", "resident", "village", Forbidden),
    ],
)
def test_refused_authorisation_forms_issue_nothing(
    household, under_notice, case, role, home, error
):
    actor = make_user(role, first_village(TOWNSHIP_A) if home == "village" else home)
    _nothing_issued(lambda: services.issue_consent_form(actor, under_notice.pk, OCT12), error)
