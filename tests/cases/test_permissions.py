"""The permission matrix: every step × every role × inside or outside the region × a status the
step may or may not be taken from. Allowed cells succeed; every refused cell raises its typed
error and leaves the case, its records and the audit log as they were."""

from datetime import date

import pytest

from minzheng.audit.models import AuditEvent
from minzheng.cases import rules_of_case, services
from minzheng.cases.models import Case, Consent, Objection, Status
from minzheng.cases.workflow import STEPS
from minzheng.kit.errors import Forbidden, NotFound
from minzheng.procedures.errors import Error as StepError
from minzheng.regions.models import Region
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, first_village, give_period, make_user
from tests.refusals import refused

TODAY = date(2024, 10, 21)
ROLES = [
    "village_worker",
    "township_clerk",
    "township_reviewer",
    "county_approver",
    "county_admin",
    "city_viewer",
]
HOME = {  # where each role's user lives: in the case's region
    "village_worker": None,  # the household's village
    "township_clerk": TOWNSHIP_A,
    "township_reviewer": TOWNSHIP_A,
    "county_approver": "330122000000",
    "county_admin": "330122000000",
    "city_viewer": "330100000000",
}
AWAY = {  # the same level elsewhere
    "village_worker": "village of TOWNSHIP_B",
    "township_clerk": TOWNSHIP_B,
    "township_reviewer": TOWNSHIP_B,
    "county_approver": "330102000000",
    "county_admin": "330102000000",
    "city_viewer": "330200000000",
}
DATA = {
    "investigate": {"visited_on": TODAY, "visitors": "李四", "findings": "属实"},
    "review": {"opinion": "同意"},
    "object": {"content": "邻居反映有车辆"},
    "resolve_objection": {"resolution": "经核实车辆已过户"},
    "approve": {"amount_fen": 131800},
    "reject": {"reason": "家庭人均收入高于低保标准"},
    "extend": {"reason": "需补充核对"},
    "grant_small": {"amount_fen": 100000},
    "grant_emergency": {"amount_fen": 200000},
    "complete_paperwork": {"visited_on": TODAY, "visitors": "李四", "findings": "属实"},
    "recheck": {"outcome": "unchanged"},
    "suspend": {"reason": "外出务工待核实"},
    "resume": {"reason": "核实无变化"},
    "end": {"reason": "收入超过标准"},
    "end_for_death": {"reason": "死亡"},
    "end_for_move": {"reason": "户籍迁出"},
}


def _other_regions():
    city = Region.objects.get(code="330100000000")
    Region.objects.create(code="330102000000", name="上城区", level=3, parent=city)
    province = Region.objects.get(code="330000000000")
    Region.objects.create(code="330200000000", name="宁波市", level=2, parent=province)


def _case(household, action: str, valid: bool) -> Case:
    the_step = STEPS[action]
    status = sorted(the_step.sources)[0] if valid else _outside(the_step.sources)
    program = sorted(the_step.variants)[0] if the_step.variants else "dibao"
    person = None
    if action == "grant_automatic":  # 高龄津贴 without an application: an elder of the household
        person = household.members.order_by("id").first()
        person.birth_date = date(1940, 1, 1)
        person.save(update_fields=["birth_date"])
    case = Case.objects.create(
        person=person,
        number=f"T-{action}-{valid}",
        program=program,
        household=household,
        region_id=household.region_id,
        status=status,
        submitted_on=date(2024, 9, 27),
        accepted_on=date(2024, 9, 27),
        created_by=make_user("township_clerk", TOWNSHIP_A),
    )
    give_period(case, "decision", date(2024, 11, 13), started_on=date(2024, 9, 27))
    give_period(case, "publicity", date(2024, 10, 17), notice=True)
    if action == "complete_paperwork":
        give_period(case, "paperwork", date(2024, 10, 25))
    for person in household.members.all():
        Consent.objects.create(
            case=case, person=person, given_on=TODAY, recorded_by=case.created_by
        )
    if action == "resolve_objection":
        Objection.objects.create(case=case, raised_on=TODAY, content="异议")
    if action == "publicise":  # 公示 lists the kept evaluation's amount: the case keeps one
        case.snapshot = rules_of_case.evaluate(case.created_by, case, TODAY)
        case.save(update_fields=["snapshot"])
    return case


def _outside(sources) -> str:
    return next(s for s in Status.values if s not in sources)


def _data(case: Case, action: str) -> dict:
    data = dict(DATA.get(action, {}))
    if action == "resolve_objection":
        data["objection_id"] = case.objections.get().pk
    return data


def _unchanged(case: Case, audit_count: int):
    again = Case.objects.get(pk=case.pk)
    assert (again.status, again.version) == (case.status, case.version)
    assert AuditEvent.objects.count() == audit_count
    assert again.objections.count() == (1 if case.number.startswith("T-resolve") else 0)
    assert again.investigations.count() == 0 and again.reviews.count() == 0


def _user(role: str, where: dict, household):
    home = where[role]
    if home is None:
        home = household.region_id
    elif home == "village of TOWNSHIP_B":
        home = first_village(TOWNSHIP_B)
    return make_user(role, home)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(STEPS))
def test_in_region_and_allowed_status(household, action, role):
    user = _user(role, HOME, household)
    case = _case(household, action, valid=True)
    before = AuditEvent.objects.count()
    if not user.has_perm("cases.view_case"):
        pytest.fail(f"{role} cannot view cases")
    if user.has_perm(STEPS[action].permission):
        done = services.perform(user, case.pk, action, case.version, TODAY, **_data(case, action))
        assert done.version == case.version + 1
        assert done.status == (STEPS[action].target or case.status)
        assert AuditEvent.objects.filter(action=f"case.{action}").count() == 1
    else:
        with pytest.raises(Forbidden):
            services.perform(user, case.pk, action, case.version, TODAY, **_data(case, action))
        _unchanged(case, before)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(STEPS))
def test_outside_the_region_is_not_found(household, action, role):
    _other_regions()
    user = _user(role, AWAY, household)
    case = _case(household, action, valid=True)
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        services.perform(user, case.pk, action, case.version, TODAY, **_data(case, action))
    _unchanged(case, before)


@pytest.mark.parametrize("action", sorted(STEPS))
def test_a_step_from_a_status_it_does_not_leave_is_a_conflict(household, action):
    user = _user(_holder(action), HOME, household)
    case = _case(household, action, valid=False)
    before = AuditEvent.objects.count()
    with refused(StepError.WRONG_STATUS):
        services.perform(user, case.pk, action, case.version, TODAY, **_data(case, action))
    _unchanged(case, before)


def _holder(action: str) -> str:
    from minzheng.accounts.roles import ROLES as DEFINED

    return next(r for r in ROLES if STEPS[action].permission in DEFINED[r].permissions)
