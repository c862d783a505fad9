"""The resident's page of his own application: the decision with its reasons (不予批准) or its
amount (批准), the notice issued for the case, and the steps as a progress line with the day
each was done — for his own household's cases only."""

from datetime import date, datetime, time

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from minzheng.accounts.models import User
from minzheng.cases import online, resident, services
from minzheng.cases.models import Status
from minzheng.kit.errors import NotFound
from minzheng.kit.money import format_fen
from tests.factories import TOWNSHIP_A, first_village, make_household, make_user

SUBMITTED = date(2024, 9, 27)
DAYS = {
    "accept": SUBMITTED,
    "investigate": date(2024, 10, 8),
    "review": date(2024, 10, 9),
    "publicise": date(2024, 10, 10),
    "close_publicity": date(2024, 10, 17),
    "decide": date(2024, 10, 21),
}
REASONS = "家庭月人均收入高于当地低保标准。"


@pytest.fixture
def applicant(household):
    head = household.members.order_by("id").first()
    user = make_user("resident", household.region_id)
    User.objects.filter(pk=user.pk).update(person=head)
    return User.objects.get(pk=user.pk)


def _on(monkeypatch, day: date) -> date:
    """The clerk takes the step on that day: its audit event is dated that day too."""
    moment = timezone.make_aware(datetime.combine(day, time(10)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return day


def _to_county(monkeypatch, people, applicant, until="close_publicity"):
    """An online application taken through the township's steps up to `until`."""
    clerk, reviewer = people["township_clerk"], people["township_reviewer"]
    case = online.apply_online(applicant, "dibao", _on(monkeypatch, SUBMITTED))
    steps = [
        ("accept", clerk, {}),
        ("investigate", clerk, {"visited_on": DAYS["investigate"], "visitors": "李四、王五",
                                "findings": "属实"}),
        ("review", reviewer, {"opinion": "同意", "reasons": "经审核符合条件"}),
        ("publicise", clerk, {}),
        ("close_publicity", clerk, {}),
    ]  # fmt: skip
    for action, actor, data in steps:
        if action == "investigate":
            for person in case.household.members.all():
                services.record_consent(clerk, case.pk, SUBMITTED, person_id=person.pk)
        case = services.perform(
            actor, case.pk, action, case.version, _on(monkeypatch, DAYS[action]), **data
        )
        if action == until:
            break
    return case


def _decide(monkeypatch, people, case, action, **data):
    approver = people["county_approver"]
    return services.perform(
        approver, case.pk, action, case.version, _on(monkeypatch, DAYS["decide"]), **data
    )


def test_a_refused_application_shows_its_reasons_and_the_notice(
    client, monkeypatch, people, applicant
):
    case = _decide(monkeypatch, people, _to_county(monkeypatch, people, applicant), "reject",
                   reason=REASONS)  # fmt: skip
    client.force_login(applicant)
    page = client.get(f"/me/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "不予批准" in html and REASONS in html
    assert f'href="/me/cases/{case.pk}/notice/"' in html
    notice = client.get(f"/me/cases/{case.pk}/notice/")
    assert notice.status_code == 200
    text = notice.content.decode()
    assert case.notice_number in text and REASONS in text and "不予批准通知书" in text
    assert f"/cases/{case.pk}/" not in text.replace(f"/me/cases/{case.pk}/", "")  # no staff link
    # the list links each application to its page
    assert f'href="/me/cases/{case.pk}/"' in client.get("/me/").content.decode()


def test_an_approved_application_shows_its_amount_and_start(client, monkeypatch, people, applicant):
    case = _decide(monkeypatch, people, _to_county(monkeypatch, people, applicant), "approve")
    assert case.status == Status.APPROVED
    decision = resident.decision(case)
    assert (decision["rejected"], decision["amount_fen"], decision["start_month"]) == (
        False,
        case.amount_fen,
        date(2024, 11, 1),
    )
    client.force_login(applicant)
    html = client.get(f"/me/cases/{case.pk}/").content.decode()
    assert f'id="decision-amount">{format_fen(case.amount_fen)}<' in html, html
    assert "2024年11月" in html and "批准" in html


def test_the_progress_line_lists_the_steps_done_with_their_dates_in_order(
    monkeypatch, people, applicant
):
    case = _to_county(monkeypatch, people, applicant, until="review")
    stages = resident.progress(case)
    assert [s.label for s in stages] == ["提交申请", "受理", "调查", "审核", "公示", "审批", "决定"]
    assert [(s.label, s.state, s.on) for s in stages[:4]] == [
        ("提交申请", "done", SUBMITTED),
        ("受理", "done", DAYS["accept"]),
        ("调查", "done", DAYS["investigate"]),
        ("审核", "done", DAYS["review"]),
    ]
    assert [s.state for s in stages[4:]] == ["current", "todo", "todo"]
    case = _decide(monkeypatch, people, _to_county_from(monkeypatch, people, case), "reject",
                   reason=REASONS)  # fmt: skip
    stages = resident.progress(case)
    assert all(s.state == "done" for s in stages), stages
    days = [s.on for s in stages]
    assert days == sorted(days)
    assert days[4:] == [DAYS["publicise"], DAYS["decide"], DAYS["decide"]]
    assert stages[4].until == DAYS["close_publicity"]


def _to_county_from(monkeypatch, people, case):
    clerk = people["township_clerk"]
    for action in ("publicise", "close_publicity"):
        case = services.perform(
            clerk, case.pk, action, case.version, _on(monkeypatch, DAYS[action])
        )
    return case


def test_a_new_application_waits_on_acceptance(monkeypatch, applicant):
    case = online.apply_online(applicant, "dibao", _on(monkeypatch, SUBMITTED))
    states = [(s.label, s.state) for s in resident.progress(case)]
    assert states[:2] == [("提交申请", "done"), ("受理", "current")]
    assert resident.decision(case) is None and resident.notice(case) is None


def test_another_households_case_is_not_found(client, people, applicant, regions):
    other = make_household(first_village(TOWNSHIP_A), members=1)
    theirs = services.apply(people["township_clerk"], other.pk, "dibao", SUBMITTED)
    with pytest.raises(NotFound):
        resident.own_case(applicant, theirs.pk)
    client.force_login(applicant)
    assert client.get(f"/me/cases/{theirs.pk}/").status_code == 404
    assert client.get(f"/me/cases/{theirs.pk}/notice/").status_code == 404
    mine = online.apply_online(applicant, "dibao", SUBMITTED)
    assert client.get(f"/me/cases/{mine.pk}/").status_code == 200
    assert client.get(f"/me/cases/{mine.pk}/notice/").status_code == 404  # nothing decided yet
    client.force_login(people["township_clerk"])
    assert client.get(f"/me/cases/{mine.pk}/").status_code == 403  # staff use their own screens


def test_the_page_template_shows_the_current_step_and_the_decision(rf, applicant):
    case = online.apply_online(applicant, "dibao", SUBMITTED)
    stages = [
        resident.Stage("提交申请", "done", SUBMITTED),
        resident.Stage("受理", "done", date(2024, 9, 30)),
        resident.Stage("调查", "current"),
        resident.Stage("审核", "todo"),
    ]
    decision = {
        "rejected": True,
        "one_off": False,
        "reasons": "第一条理由\n第二条理由",
        "decided_on": date(2024, 10, 21),
        "notice_number": "民救〔2024〕330122-00001号",
    }
    request = rf.get("/me/")
    request.user = applicant
    html = render_to_string(
        "cases/resident_case.html",
        {"case": case, "stages": stages, "decision": decision, "consent_missing": False},
        request=request,
    )
    assert 'data-state="current" aria-current="step"' in html
    assert html.index("提交申请") < html.index("受理") < html.index("调查") < html.index("审核")
    assert '<time datetime="2024-09-30">2024-09-30</time>' in html
    assert "第一条理由<br>第二条理由" in html
    assert 'id="notice-link"' in html and "民救〔2024〕330122-00001号" in html
    assert html.count('aria-current="step"') == 1
