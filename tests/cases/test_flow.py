"""A 低保 case from application to approval and its first 复核; a 先行救助 case; deadlines on
the working-day calendar around the 2024 National Day holiday."""

from datetime import date

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.cases import deaths, services
from minzheng.cases.errors import Error
from minzheng.cases.models import Case, Status
from minzheng.kit.errors import Conflict
from minzheng.procedures.errors import Error as StepError
from tests.refusals import refused

ACCEPTED = date(2024, 9, 27)  # a Friday; 1–7 October off, 29 September and 12 October worked


def _consent_all(clerk, case):
    for person in case.household.members.all():
        services.record_consent(clerk, case.pk, ACCEPTED, person_id=person.pk)


def test_dibao_from_application_to_approval_and_first_review(people, household):
    clerk, reviewer = people["township_clerk"], people["township_reviewer"]
    approver = people["county_approver"]
    case = services.apply(people["village_worker"], household.pk, "dibao", ACCEPTED)
    assert (case.status, case.number) == (Status.SUBMITTED, "SA〔2024〕330122-00001号")
    case = services.perform(clerk, case.pk, "accept", case.version, ACCEPTED)
    assert (case.accepted_on, case.due_on) == (ACCEPTED, date(2024, 11, 13))
    with refused(Error.CONSENTS_MISSING):
        services.perform(
            clerk,
            case.pk,
            "investigate",
            case.version,
            ACCEPTED,
            visited_on=ACCEPTED,
            visitors="李四、王五",
            findings="属实",
        )
    _consent_all(clerk, case)
    case = services.perform(
        clerk,
        case.pk,
        "investigate",
        case.version,
        date(2024, 10, 8),
        visited_on=date(2024, 10, 8),
        visitors="李四、王五",
        findings="属实",
    )
    assert case.snapshot.explanation["eligible"][:1] == ["dibao"]
    case = services.perform(
        reviewer,
        case.pk,
        "review",
        case.version,
        date(2024, 10, 9),
        opinion="同意",
        reasons="同意纳入",
    )
    case = services.perform(clerk, case.pk, "publicise", case.version, date(2024, 10, 10))
    assert case.publicity_ends_on == date(2024, 10, 17)
    with refused(Error.PUBLICITY_NOT_OVER):
        services.perform(clerk, case.pk, "close_publicity", case.version, date(2024, 10, 16))
    case = services.perform(clerk, case.pk, "close_publicity", case.version, date(2024, 10, 17))
    case = services.perform(approver, case.pk, "approve", case.version, date(2024, 10, 21))
    assert (case.status, case.amount_fen, case.start_month) == (
        Status.APPROVED,
        131800,
        date(2024, 11, 1),
    )
    assert case.notice_number == "民救〔2024〕330122-00001号"
    assert case.next_review_on == date(2025, 11, 1)
    case = services.perform(
        clerk,
        case.pk,
        "recheck",
        case.version,
        date(2025, 11, 3),
        outcome="decrease",
        amount_fen=100000,
        note="收入增加",
    )
    assert (case.amount_fen, case.next_review_on) == (100000, date(2026, 11, 1))
    actions = list(
        AuditEvent.objects.filter(object_type="case", object_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "case.submitted",
        "case.accept",
        "case.consent_recorded",
        "case.consent_recorded",
        "case.investigate",
        "case.review",
        "case.publicise",
        "case.close_publicity",
        "case.approve",
        "case.recheck",
    ]


def test_aid_first_then_paperwork_within_five_working_days(people, household):
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "temporary", ACCEPTED)
    case = services.perform(
        clerk, case.pk, "grant_emergency", case.version, ACCEPTED, amount_fen=200000
    )
    assert (case.status, case.emergency, case.paperwork_due_on) == (
        Status.APPROVED,
        True,
        date(2024, 10, 10),
    )
    _consent_all(clerk, case)
    case = services.perform(
        clerk,
        case.pk,
        "complete_paperwork",
        case.version,
        date(2024, 10, 9),
        visited_on=date(2024, 10, 9),
        visitors="李四",
        findings="火灾属实",
    )
    assert case.paperwork_done_on == date(2024, 10, 9)
    with refused(Error.NO_PAPERWORK_DUE):
        services.perform(
            clerk,
            case.pk,
            "complete_paperwork",
            case.version,
            date(2024, 10, 9),
            visited_on=date(2024, 10, 9),
            visitors="李四",
            findings="x",
        )


def test_extension_to_45_working_days_only_once(people, household):
    clerk, approver = people["township_clerk"], people["county_approver"]
    case = services.apply(clerk, household.pk, "dibao", ACCEPTED)
    case = services.perform(clerk, case.pk, "accept", case.version, ACCEPTED)
    case = services.perform(
        approver, case.pk, "extend", case.version, date(2024, 11, 1), reason="需补充核对"
    )
    assert (case.extended, case.due_on) == (True, date(2024, 12, 4))
    with refused(StepError.PERIOD_EXTENDED_ONCE):
        services.perform(approver, case.pk, "extend", case.version, date(2024, 11, 2), reason="x")


def test_a_stale_version_is_a_conflict_and_changes_nothing(people, household):
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "dibao", ACCEPTED)
    services.perform(clerk, case.pk, "accept", case.version, ACCEPTED)
    with pytest.raises(Conflict):
        services.perform(clerk, case.pk, "accept", case.version, ACCEPTED)
    assert Case.objects.get(pk=case.pk).version == 2
    assert AuditEvent.objects.filter(action="case.accept").count() == 1


def test_a_second_live_application_for_the_same_program_is_refused(people, household):
    clerk = people["township_clerk"]
    services.apply(clerk, household.pk, "dibao", ACCEPTED)
    with refused(Error.DUPLICATE_APPLICATION):
        services.apply(clerk, household.pk, "dibao", ACCEPTED)
    assert Case.objects.count() == 1


def test_a_death_ends_own_cases_and_calls_a_review_of_the_household(people, household):
    clerk, approver = people["township_clerk"], people["county_approver"]
    first, second = household.members.order_by("id")
    dibao = services.apply(clerk, household.pk, "dibao", ACCEPTED)
    Case.objects.filter(pk=dibao.pk).update(status=Status.APPROVED)
    own = services.apply(clerk, household.pk, "disability_nursing", ACCEPTED, person_id=first.pk)
    result = deaths.person_died(approver, first.pk, date(2024, 12, 5))
    assert result == {"ended": [own.number], "recheck": [dibao.number]}
    assert Case.objects.get(pk=own.pk).status == Status.ENDED
    assert Case.objects.get(pk=dibao.pk).next_review_on == date(2024, 12, 5)
    result = deaths.person_died(approver, second.pk, date(2024, 12, 20))
    assert result == {"ended": [dibao.number], "recheck": []}
    assert Case.objects.get(pk=dibao.pk).status == Status.ENDED


def test_only_the_county_ends_cases_for_a_death(people, household):
    clerk = people["township_clerk"]
    case = services.apply(clerk, household.pk, "dibao", ACCEPTED)
    with refused(Error.END_FOR_DEATH_NOT_PERMITTED):
        deaths.person_died(clerk, household.members.first().pk, date(2024, 12, 5))
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_a_one_person_dibao_application_takes_the_single_amount(people, household):
    """单人户: in a 低保边缘 family, the adult without work with a grade-1 disability is assessed
    on his own income alone; the household may not also have a 低保 case."""
    from decimal import Decimal

    from minzheng.registry.models import IncomeItem

    clerk = people["township_clerk"]
    first, second = household.members.order_by("id")
    # the first earns 3000: above 2 × 1159 for two, under 桐庐's (杭州) 2× line 4636: 低保边缘
    IncomeItem.objects.filter(person=first).update(amount=Decimal("3000"))
    second.disability_category, second.disability_grade = "physical", 1
    second.save(update_fields=["disability_category", "disability_grade"])
    case = services.apply(clerk, household.pk, "dibao", ACCEPTED, person_id=second.pk)
    assert case.person_id == second.pk
    with refused(Error.DUPLICATE_APPLICATION):
        services.apply(clerk, household.pk, "dibao", ACCEPTED)
    case = services.perform(clerk, case.pk, "accept", case.version, ACCEPTED)
    _consent_all(clerk, case)
    case = services.perform(
        clerk,
        case.pk,
        "investigate",
        case.version,
        date(2024, 10, 8),
        visited_on=date(2024, 10, 8),
        visitors="李四",
        findings="属实",
    )
    from minzheng.cases import rules_of_case

    assert rules_of_case.amount(case) == 115900  # his own income 0: the whole standard
    assert "dibao_single" in case.snapshot.explanation["eligible"]


def test_tekun_approval_records_the_support_mode_and_care_level(people, household):
    """The older member (84) alone, no income, cannot do 5 of the 6 self-care items: 全护理."""
    from minzheng.registry.models import IncomeItem, SelfCareAssessment

    clerk, approver = people["township_clerk"], people["county_approver"]
    first, second = household.members.order_by("id")
    IncomeItem.objects.filter(person=first).delete()
    second.delete()
    first.birth_date = date(1940, 1, 1)
    first.save(update_fields=["birth_date"])
    SelfCareAssessment.objects.create(
        person=first,
        assessed_on=ACCEPTED,
        eating=True,
        dressing=True,
        transfer=True,
        toileting=True,
        walking=True,
    )
    case = services.apply(clerk, household.pk, "tekun", ACCEPTED, person_id=first.pk)
    case = services.perform(clerk, case.pk, "accept", case.version, ACCEPTED)
    _consent_all(clerk, case)
    case = services.perform(
        clerk,
        case.pk,
        "investigate",
        case.version,
        ACCEPTED,
        visited_on=ACCEPTED,
        visitors="李四",
        findings="属实",
    )
    Case.objects.filter(pk=case.pk).update(status=Status.AWAITING)
    case = Case.objects.get(pk=case.pk)
    with refused(Error.BAD_SUPPORT_MODE):
        services.perform(
            approver, case.pk, "approve", case.version, date(2024, 10, 21), support_mode="hotel"
        )
    case = services.perform(
        approver, case.pk, "approve", case.version, date(2024, 10, 21), support_mode="centralised"
    )
    # 1.3 × 1159 = 1506.70, care 全护理 分散 8652 / 12 = 721: the evaluation is dispersed
    assert (case.support_mode, case.care_band, case.amount_fen) == (
        "centralised",
        "full",
        150670 + 72100,
    )


def test_a_review_can_start_the_gradual_exit_and_the_county_sees_it_end(people, household):
    from minzheng.cases import selectors

    clerk, approver = people["township_clerk"], people["county_approver"]
    case = services.apply(clerk, household.pk, "dibao", ACCEPTED)
    Case.objects.filter(pk=case.pk).update(status=Status.APPROVED, amount_fen=131800)
    case = services.perform(
        clerk,
        case.pk,
        "recheck",
        1,
        date(2025, 3, 10),
        outcome="taper",
        note="儿子就业，收入超过标准",
    )
    # 6 months (national example): paid on until the review on 2025-09-01
    assert (case.taper_until, case.next_review_on, case.amount_fen) == (
        date(2025, 9, 1),
        date(2025, 9, 1),
        131800,
    )
    with refused(Error.TAPER_NOT_APPLICABLE):
        services.perform(clerk, case.pk, "recheck", case.version, date(2025, 4, 1), outcome="taper")
    queues = {q.key: q for q in selectors.work_queues(approver, date(2025, 9, 1))}
    assert list(queues["taper"].cases) == [case]
    earlier = {q.key: q for q in selectors.work_queues(approver, date(2025, 8, 31))}
    assert earlier["taper"].count == 0
