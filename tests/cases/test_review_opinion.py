"""The township's 审核意见 and the 公示 (issue 20, item 3): the opinion is 同意 or 不同意, with
reasons for 不同意 and for 同意 on an ineligible evaluation; it is audited; the case page warns
when the evaluation says 不符合; a case without a proposed amount is never publicised, and the
公示 list never prints a "—" amount."""

from datetime import date
from decimal import Decimal

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.cases import printouts, selectors, services
from minzheng.cases.errors import Error
from minzheng.cases.models import Case, Status
from minzheng.registry.models import IncomeItem
from tests.cases.clock import EVALUATED, TODAY
from tests.factories import TOWNSHIP_A, first_village, make_household
from tests.refusals import refused


def _household(monthly_income: str):
    """Two adults in the fixture's village with the given monthly wage."""
    household = make_household(first_village(TOWNSHIP_A), members=2)
    for index, person in enumerate(household.members.order_by("id")):
        person.birth_date = date(1980 + 10 * index, 3, 1)
        person.save(update_fields=["birth_date"])
    IncomeItem.objects.create(
        person=household.members.first(),
        category="wage",
        period="monthly",
        amount=Decimal(monthly_income),
    )
    return household


def _investigated(people, household) -> Case:
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "dibao", TODAY)
    case = services.perform(clerk, case.pk, "accept", case.version, TODAY)
    for person in household.members.all():
        services.record_consent(clerk, case.pk, TODAY, person_id=person.pk)
    data = {"visited_on": TODAY, "visitors": "李四", "findings": "属实"}
    return services.perform(clerk, case.pk, "investigate", case.version, TODAY, **data)


def _review(people, case, **data) -> Case:
    reviewer = people["township_reviewer"]
    return services.perform(reviewer, case.pk, "review", case.version, TODAY, **data)


def _state(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (case.status, case.version, case.opinion, AuditEvent.objects.count())


def _event(case: Case, action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=f"case.{action}", object_id=str(case.pk))


@pytest.fixture
def ineligible(regions):
    return _household("10000")  # far above the 低保 line of two


def test_the_opinion_is_a_required_choice(people, household):
    case = _investigated(people, household)
    before = _state(case)
    for data in ({}, {"opinion": ""}, {"opinion": "同意纳入"}, {"opinion": "agree"}):
        with refused(Error.REVIEW_OPINION_REQUIRED) as caught:
            _review(people, case, reasons="属实", **data)
        assert caught.value.field == "opinion"
        assert _state(case) == before
    assert before[:3] == (Status.INVESTIGATED, case.version, "")


def test_agreeing_with_an_eligible_evaluation_needs_no_reasons(people, household):
    case = _review(people, _investigated(people, household), opinion="同意")
    assert (case.status, case.opinion) == (Status.REVIEWED, "同意")
    event = _event(case, "review")
    assert (event.after["opinion"], event.after["reasons"], event.after["ineligible"]) == (
        "同意",
        "",
        False,
    )
    assert event.reason == ""


def test_disagreeing_needs_reasons_and_is_audited(people, household):
    case = _investigated(people, household)
    before = _state(case)
    for reasons in ({}, {"reasons": ""}, {"reasons": "  "}):
        with refused(Error.REVIEW_REASONS_REQUIRED) as caught:
            _review(people, case, opinion="不同意", **reasons)
        assert caught.value.field == "reasons"
        assert _state(case) == before
    case = _review(people, case, opinion="不同意", reasons="家庭有未申报的经营收入")
    # no refusal at 审核 in the steps table: the county decides after the 公示 (不予批准)
    assert (case.status, case.opinion) == (Status.REVIEWED, "不同意。家庭有未申报的经营收入")
    event = _event(case, "review")
    assert (event.after["opinion"], event.after["reasons"]) == ("不同意", "家庭有未申报的经营收入")
    assert event.reason == "家庭有未申报的经营收入"


def test_agreeing_with_an_ineligible_evaluation_needs_reasons(people, ineligible):
    case = _investigated(people, ineligible)
    assert case.snapshot_id is not None
    before = _state(case)
    with refused(Error.INELIGIBLE_AGREE_REASONS) as caught:
        _review(people, case, opinion="同意")
    assert caught.value.field == "reasons"
    assert _state(case) == before
    case = _review(people, case, opinion="同意", reasons="工资收入已于九月停发，待重新核对")
    assert (case.status, case.opinion) == (
        Status.REVIEWED,
        "同意。工资收入已于九月停发，待重新核对",
    )
    event = _event(case, "review")
    assert (event.after["opinion"], event.after["reasons"], event.after["ineligible"]) == (
        "同意",
        "工资收入已于九月停发，待重新核对",
        True,
    )


def test_the_page_warns_above_the_review_form_when_the_evaluation_says_not_eligible(
    client, today, people, household, ineligible
):
    eligible_case = _investigated(people, household)
    ineligible_case = _investigated(people, ineligible)
    client.force_login(people["township_reviewer"])
    body = client.get(f"/cases/{ineligible_case.pk}/").content.decode()
    assert 'id="warning-review"' in body
    assert body.index('id="warning-review"') < body.index('id="id_review-opinion"')
    assert 'id="warning-review"' not in client.get(f"/cases/{eligible_case.pk}/").content.decode()


def test_the_review_form_shows_the_service_refusal_on_its_field(client, today, people, ineligible):
    case = _investigated(people, ineligible)
    before = _state(case)
    client.force_login(people["township_reviewer"])
    data = {"review-version": case.version, "review-opinion": "同意", "review-reasons": ""}
    response = client.post(f"/cases/{case.pk}/steps/review/", data)
    assert response.status_code == 422
    assert response.context["steps"][0][1].errors["reasons"]
    assert _state(case) == before


def test_a_case_without_a_proposed_amount_is_not_publicised(people, ineligible):
    case = _review(people, _investigated(people, ineligible), opinion="不同意", reasons="收入超标")
    before = _state(case)
    with refused(Error.NO_AMOUNT_TO_PUBLICISE):
        services.perform(people["township_clerk"], case.pk, "publicise", case.version, TODAY)
    assert _state(case) == before
    assert "publicity" not in Case.objects.get(pk=case.pk).periods


def test_the_publicity_list_never_lists_a_case_without_an_amount(
    client, today, people, household, ineligible
):
    """A case under notice whose kept evaluation no longer gives an amount (an older case, or
    data changed behind the service) is left off the list: the list builder is a second line."""
    clerk = people["township_clerk"]
    shown = _review(people, _investigated(people, household), opinion="同意")
    shown = services.perform(clerk, shown.pk, "publicise", shown.version, TODAY)
    stale = _review(people, _investigated(people, _household("1000")), opinion="同意")
    stale = services.perform(clerk, stale.pk, "publicise", stale.version, TODAY)
    no_amount = _investigated(people, ineligible).snapshot_id
    Case.objects.filter(pk=stale.pk).update(snapshot_id=no_amount)
    village = household.region_id

    rows = selectors.public_notice(village, TODAY)
    assert [(r["number"], r["amount_fen"]) for r in rows] == [(shown.number, EVALUATED)]
    document = printouts.issue_publicity(clerk, village, TODAY)
    assert [(r["number"], r["amount"]) for r in document.payload["rows"]] == [
        (shown.number, "1,318.00")
    ]
    table = client.get(f"/public/notices/{village}/").content.decode()
    table = table[table.index('id="public-table"') :]
    assert "1,318.00" in table and "—" not in table.split("</table>")[0]
    client.force_login(clerk)
    printed = client.get(f"/documents/{document.pk}/").content.decode()
    printed = printed[printed.index('id="publicity-table"') :].split("</table>")[0]
    assert "1,318.00" in printed and "—" not in printed
