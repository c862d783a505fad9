"""The case screens through the Django test client: queues per role, the application form, the
step forms (amounts in yuan), conflicts and refusals that change nothing, the decision notice,
the public notice and region scoping."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from minzheng.audit.models import AuditEvent
from minzheng.cases import services
from minzheng.cases.models import Case, Consent, Status
from minzheng.kit.masking import mask_name
from minzheng.rules.models import DecisionSnapshot
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, make_user

# A fixed day: deadlines count working days on the State Council's holiday calendar, which
# chinesecalendar only has up to 2026, so a real "today" late in a year cannot be used.
TODAY = date(2024, 10, 21)  # a Monday


class Clock:
    def __init__(self, today: date):
        self.today = today


@pytest.fixture
def clock(monkeypatch):
    """The screens' `timezone.localdate()`, set by the test (no other clock is touched)."""
    clock = Clock(TODAY)
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return clock.today if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return clock


def step(client, case_id: int, action: str, version: int | None = None, **fields):
    """Post one step form as the case page does (fields carry the step's prefix)."""
    if version is None:
        version = Case.objects.get(pk=case_id).version
    data = {f"{action}-version": version, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/cases/{case_id}/steps/{action}/", data)


def consent_all(client, case_id: int):
    for person in Case.objects.get(pk=case_id).household.members.order_by("id"):
        response = client.post(
            f"/cases/{case_id}/consents/", {"who": f"person:{person.pk}", "method": "written"}
        )
        assert response.status_code == 302


def queue_counts(client, user) -> dict[str, int]:
    client.force_login(user)
    response = client.get("/cases/")
    assert response.status_code == 200
    return {q.key: q.count for q in response.context["queues"]}


def test_queue_counts_per_role(client, clock, people, household):
    clerk = people["township_clerk"]
    services.apply(clerk, household.pk, "dibao", TODAY)
    late = services.apply(clerk, household.pk, "temporary", date(2024, 8, 1))
    services.perform(clerk, late.pk, "accept", late.version, date(2024, 8, 1))  # due 2024-09-12
    assert queue_counts(client, clerk) == {
        "accept": 1,
        "investigate": 1,
        "publicise": 0,
        "close_publicity": 0,
        "paperwork": 0,
        "recheck": 0,
    }
    response = client.get("/cases/")
    assert [c.number for c in response.context["overdue"]] == [late.number]
    assert 'id="overdue"' in response.content.decode()
    assert queue_counts(client, people["township_reviewer"]) == {"review": 0}
    assert queue_counts(client, people["county_approver"]) == {"approve": 0, "taper": 0}
    assert queue_counts(client, people["village_worker"]) == {}


def test_applying_through_the_form(client, clock, people, household):
    worker = people["village_worker"]
    client.force_login(worker)
    assert client.get(f"/cases/new/?household={household.pk}").status_code == 200
    response = client.post(f"/cases/new/?household={household.pk}", {"program": "dibao"})
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    assert (case.program, case.status, case.submitted_on, case.created_by) == (
        "dibao",
        Status.SUBMITTED,
        TODAY,
        worker,
    )
    assert case.number in client.get(f"/cases/households/{household.pk}/").content.decode()


def test_a_person_program_needs_a_member(client, clock, people, household):
    client.force_login(people["village_worker"])
    response = client.post(f"/cases/new/?household={household.pk}", {"program": "tekun"})
    assert response.status_code == 422
    assert "请选择申请人（该家庭的成员）。" in response.content.decode()
    assert Case.objects.count() == 0


def test_steps_from_acceptance_to_approval_with_the_amount_in_yuan(
    client, clock, people, household
):
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "dibao", TODAY)
    client.force_login(clerk)
    assert step(client, case.pk, "accept").status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="step-investigate"' in page and "张伟0、张芳1" in page  # consents missing
    consent_all(client, case.pk)
    assert Consent.objects.filter(case=case).count() == 2
    response = step(
        client, case.pk, "investigate", visited_on="2024-10-21", visitors="李四", findings="属实"
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.investigations.get().visitors) == (Status.INVESTIGATED, "李四")
    client.force_login(people["township_reviewer"])
    assert step(client, case.pk, "review", opinion="同意", reasons="同意纳入").status_code == 302
    client.force_login(clerk)
    assert step(client, case.pk, "publicise").status_code == 302
    clock.today = TODAY + timedelta(days=7)
    assert step(client, case.pk, "close_publicity").status_code == 302
    client.force_login(people["county_approver"])
    response = step(client, case.pk, "approve", amount="1318.00", unstable="on")
    case = Case.objects.get(pk=case.pk)
    assert response.status_code == 302
    assert (case.status, case.amount_fen, case.start_month) == (
        Status.APPROVED,
        131800,
        date(2024, 11, 1),
    )
    assert case.next_review_on == date(2025, 5, 1)  # unstable, rural: every six months


def test_an_amount_with_a_fraction_of_a_fen_is_refused(client, clock, people, household):
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "temporary", TODAY)
    client.force_login(clerk)
    response = step(client, case.pk, "grant_emergency", amount="100.005")
    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert step(client, case.pk, "grant_emergency", amount="2000").status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.amount_fen, case.emergency) == (Status.APPROVED, 200000, True)


def test_a_stale_version_is_a_conflict_and_changes_nothing(client, clock, people, household):
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "dibao", TODAY)
    case = services.perform(clerk, case.pk, "accept", case.version, TODAY)
    for person in household.members.all():
        services.record_consent(clerk, case.pk, TODAY, person_id=person.pk)
    seen = case.version
    services.perform(people["county_approver"], case.pk, "extend", seen, TODAY, reason="需补充核对")
    events = AuditEvent.objects.count()
    client.force_login(clerk)
    response = step(
        client, case.pk, "investigate", seen, visited_on="2024-10-21", visitors="李四", findings="x"
    )
    assert response.status_code == 409
    assert "案件已被他人处理，请刷新后重试。" in response.content.decode()
    again = Case.objects.get(pk=case.pk)
    assert (again.status, again.version, again.snapshot_id) == (Status.ACCEPTED, seen + 1, None)
    assert again.investigations.count() == 0 and DecisionSnapshot.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", ["village_worker", "township_reviewer", "county_approver"])
def test_a_step_of_another_role_is_refused(client, clock, people, household, role):
    case = services.apply(people["township_clerk"], household.pk, "dibao", TODAY)
    events = AuditEvent.objects.count()
    client.force_login(people[role])
    response = step(client, case.pk, "accept")
    assert response.status_code == 403
    assert "您的角色不能执行“受理”。" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert AuditEvent.objects.count() == events


def _walked(people, household, until: str = "approve") -> Case:
    """A 低保 case taken through the services up to and including the step `until`."""
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
    if until == "publicise":
        return case
    end = case.publicity_ends_on
    case = services.perform(clerk, case.pk, "close_publicity", case.version, end)
    approver = people["county_approver"]
    return services.perform(approver, case.pk, "approve", case.version, end, amount_fen=131800)


def test_the_decision_notice_of_an_approved_case(client, clock, people, household):
    case = _walked(people, household)
    client.force_login(people["township_clerk"])
    body = client.get(f"/cases/{case.pk}/notice/").content.decode()
    assert case.notice_number in body and "民救〔2024〕330122-00001号" in body
    assert "1,318.00" in body and "2024年11月" in body
    assert "张伟0" in body  # the family's own notice: the head's full name
    assert "桐庐县民政局" in body and "批准通知书" in body and "不予批准" not in body


def test_a_review_that_lowers_the_amount_needs_the_new_amount(client, clock, people, household):
    case = _walked(people, household)
    client.force_login(people["township_clerk"])
    response = step(client, case.pk, "recheck", outcome="decrease")
    assert response.status_code == 422
    assert "增发或减发须填写新的月救助金额。" in response.content.decode()
    assert case.reviews.count() == 0
    assert step(client, case.pk, "recheck", outcome="decrease", amount="1000").status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.amount_fen, case.reviews.get().amount_fen) == (100000, 100000)


def test_an_objection_resolved_then_a_rejection_and_its_notice(client, clock, people, household):
    clerk = people["township_clerk"]
    case = _walked(people, household, until="publicise")
    client.force_login(clerk)
    assert step(client, case.pk, "object", content="邻居反映有车辆").status_code == 302
    objection = case.objections.get()
    clock.today = case.publicity_ends_on
    assert step(client, case.pk, "close_publicity").status_code == 422  # not resolved yet
    response = step(
        client, case.pk, "resolve_objection", objection_id=objection.pk, resolution="车辆已过户"
    )
    assert response.status_code == 302
    assert step(client, case.pk, "close_publicity").status_code == 302
    client.force_login(people["county_approver"])
    assert step(client, case.pk, "reject", reason="家庭财产超过规定").status_code == 302
    body = client.get(f"/cases/{case.pk}/notice/").content.decode()
    assert "不予批准通知书" in body and "家庭财产超过规定" in body


def test_no_notice_before_the_decision(client, clock, people, household):
    case = services.apply(people["township_clerk"], household.pk, "dibao", TODAY)
    client.force_login(people["township_clerk"])
    assert client.get(f"/cases/{case.pk}/notice/").status_code == 404


def test_the_public_notice_shows_the_masked_name_only(client, clock, people, household):
    case = _walked(people, household, until="publicise")
    head = household.members.get(relation="head")
    response = client.get(f"/public/notices/{household.region_id}/")  # nobody signed in
    body = response.content.decode()
    assert response.status_code == 200
    assert mask_name(head.name) == "张*0" and "张*0" in body
    assert "1,318.00" in body and "2024-10-28" in body
    for person in household.members.all():
        assert person.name not in body and person.id_number not in body
    assert household.number not in body and case.number not in body


def test_the_public_notice_of_an_unknown_village_is_not_found(client, regions):
    assert client.get("/public/notices/330122002999/").status_code == 404
    assert client.get(f"/public/notices/{TOWNSHIP_A}/").status_code == 404  # not a village


def test_a_case_outside_the_region_is_not_found(client, clock, people, household):
    case = services.apply(people["township_clerk"], household.pk, "dibao", TODAY)
    client.force_login(make_user("township_clerk", TOWNSHIP_B))
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert step(client, case.pk, "accept").status_code == 404
    assert client.get(f"/cases/households/{household.pk}/").status_code == 404
    client.force_login(make_user("village_worker", first_village(TOWNSHIP_B)))
    assert client.get(f"/cases/new/?household={household.pk}").status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_the_household_page_offers_an_application_to_those_who_may_apply(client, people, household):
    client.force_login(people["village_worker"])
    assert 'id="apply-case"' in client.get(f"/registry/households/{household.pk}/").content.decode()
    client.force_login(people["township_reviewer"])
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert 'id="apply-case"' not in page and 'id="case-slot"' in page
