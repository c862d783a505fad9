"""The approver's amount against the evaluation's (issue 20, item 2): a different amount needs a
reason, the screen shows the evaluated amount (and the difference after a refused submit), the
approval's audit event carries both amounts and the reason, and the 批准通知书 states them."""

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.cases import services
from minzheng.cases.errors import Error
from minzheng.cases.models import Case, Status
from minzheng.documents.models import Document
from tests.cases.clock import EVALUATED, TODAY
from tests.refusals import refused


def _awaiting(people, household) -> Case:
    """A 低保 case through the services up to the county's decision."""
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "dibao", TODAY)
    case = services.perform(clerk, case.pk, "accept", case.version, TODAY)
    for person in household.members.all():
        services.record_consent(clerk, case.pk, TODAY, person_id=person.pk)
    data = {"visited_on": TODAY, "visitors": "李四", "findings": "属实"}
    case = services.perform(clerk, case.pk, "investigate", case.version, TODAY, **data)
    reviewer = people["township_reviewer"]
    case = services.perform(reviewer, case.pk, "review", case.version, TODAY, opinion="同意")
    case = services.perform(clerk, case.pk, "publicise", case.version, TODAY)
    end = case.publicity_ends_on
    return services.perform(clerk, case.pk, "close_publicity", case.version, end)


def _state(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (
        case.status,
        case.version,
        case.amount_fen,
        case.notice_number,
        AuditEvent.objects.count(),
        Document.objects.count(),
    )


def _approval(case: Case) -> AuditEvent:
    return AuditEvent.objects.get(action="case.approve", object_id=str(case.pk))


def test_a_different_amount_without_a_reason_is_refused_and_changes_nothing(people, household):
    case = _awaiting(people, household)
    before = _state(case)
    approver = people["county_approver"]
    for reason in ({}, {"amount_reason": ""}, {"amount_reason": "   "}):
        with refused(Error.AMOUNT_REASON_REQUIRED) as caught:
            services.perform(
                approver, case.pk, "approve", case.version, TODAY, amount_fen=150000, **reason
            )
        assert caught.value.field == "amount_reason"
        assert _state(case) == before
    assert before[0] == Status.AWAITING


def test_a_different_amount_with_a_reason_is_approved_audited_and_on_the_notice(
    client, people, household
):
    case = _awaiting(people, household)
    approver = people["county_approver"]
    case = services.perform(
        approver,
        case.pk,
        "approve",
        case.version,
        TODAY,
        amount_fen=150000,
        amount_reason="  家中有重病患者，按规定增发  ",
    )
    assert (case.status, case.amount_fen) == (Status.APPROVED, 150000)
    event = _approval(case)
    assert event.after["evaluated_fen"] == EVALUATED
    assert event.after["approved_fen"] == 150000
    assert event.after["reason"] == "家中有重病患者，按规定增发"
    assert event.reason == "家中有重病患者，按规定增发"
    notice = Document.objects.get(kind="decision", number=case.notice_number)
    assert notice.payload["amount_fen"] == 150000
    assert notice.payload["evaluated_fen"] == EVALUATED
    assert notice.payload["amount_reason"] == "家中有重病患者，按规定增发"
    client.force_login(people["township_clerk"])
    body = client.get(f"/cases/{case.pk}/notice/").content.decode()
    assert '<strong id="notice-amount">1,500.00</strong>' in body
    assert '<span id="notice-evaluated">1,318.00</span>' in body
    assert '<span id="notice-amount-reasons">家中有重病患者，按规定增发</span>' in body


def test_a_lower_amount_needs_a_reason_too(people, household):
    case = _awaiting(people, household)
    approver = people["county_approver"]
    with refused(Error.AMOUNT_REASON_REQUIRED):
        services.perform(approver, case.pk, "approve", case.version, TODAY, amount_fen=100000)
    case = services.perform(
        approver,
        case.pk,
        "approve",
        case.version,
        TODAY,
        amount_fen=100000,
        amount_reason="另有赡养费未计入",
    )
    event = _approval(case)
    assert (event.after["evaluated_fen"], event.after["approved_fen"]) == (EVALUATED, 100000)
    assert event.after["reason"] == "另有赡养费未计入"


@pytest.mark.parametrize("typed", [{"amount_fen": EVALUATED}, {}])
def test_the_evaluated_amount_needs_no_reason(client, people, household, typed):
    case = _awaiting(people, household)
    approver = people["county_approver"]
    case = services.perform(approver, case.pk, "approve", case.version, TODAY, **typed)
    assert (case.status, case.amount_fen, case.decision_reason) == (
        Status.APPROVED,
        EVALUATED,
        "",
    )
    event = _approval(case)
    assert (event.after["evaluated_fen"], event.after["approved_fen"]) == (EVALUATED, EVALUATED)
    assert event.after["reason"] == ""
    assert event.reason == ""
    notice = Document.objects.get(kind="decision", number=case.notice_number)
    assert "evaluated_fen" not in notice.payload and "amount_reason" not in notice.payload
    client.force_login(people["township_clerk"])
    body = client.get(f"/cases/{case.pk}/notice/").content.decode()
    assert '<strong id="notice-amount">1,318.00</strong>' in body
    assert "notice-amount-reason" not in body


def _post_approve(client, case: Case, **fields):
    data = {"approve-version": Case.objects.get(pk=case.pk).version}
    data |= {f"approve-{k}": v for k, v in fields.items()}
    return client.post(f"/cases/{case.pk}/steps/approve/", data)


def test_the_screen_shows_the_evaluation_and_the_difference_after_a_refusal(
    client, today, people, household
):
    case = _awaiting(people, household)
    client.force_login(people["county_approver"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="approve-amount_reason"' in page
    assert "1,318.00" in page.split('id="step-approve"')[1].split("</form>")[0]
    before = _state(case)
    response = _post_approve(client, case, amount="1500.00")
    assert response.status_code == 422
    assert _state(case) == before
    form = response.content.decode().split('id="step-approve"')[1].split("</form>")[0]
    assert "1,318.00" in form and "1,500.00" in form  # the message names both amounts
    assert "+182.00" in form  # the difference beside the reason
    reason_field = form.split('name="approve-amount_reason"')[0].rsplit('class="field', 1)[1]
    assert "has-error" in reason_field
    response = _post_approve(client, case, amount="1500.00", amount_reason="家中有重病患者")
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.amount_fen) == (Status.APPROVED, 150000)
    assert _approval(case).after["reason"] == "家中有重病患者"
