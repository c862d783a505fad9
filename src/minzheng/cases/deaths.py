"""A death ends the person's own cases, and the household's cases when nobody counted is left;
a household case with members left is due for 复核 at once (its amount changes)."""

from datetime import date

from django.db.models import F

from minzheng.accounts.permissions import require_permission
from minzheng.cases.models import Case, Status
from minzheng.cases.services import LIVE, audit_step, cases_for
from minzheng.kit.errors import Conflict
from minzheng.registry import selectors
from minzheng.registry.models import Person


def person_died(actor, person_id: int, died_on: date) -> dict[str, list[str]]:
    """Record the death on the person and end or flag the cases (see the module)."""
    require_permission(actor, "cases.decide_case", "您的角色不能因死亡终止案件。")
    person = selectors.person_for(actor, person_id)
    live = cases_for(actor).filter(status__in=LIVE)
    own = list(live.filter(person=person))
    household_cases = list(live.filter(household=person.household, person__isnull=True))
    Person.objects.filter(pk=person.pk, died_on__isnull=True).update(died_on=died_on)
    others = (
        person.household.members.exclude(pk=person.pk)
        .filter(co_resident=True, died_on__isnull=True)
        .exists()
    )
    ended, rechecked = [], []
    for case in own + ([] if others else household_cases):
        _end_for_death(actor, case, died_on)
        ended.append(case.number)
    for case in household_cases if others else []:
        Case.objects.filter(pk=case.pk).update(next_review_on=died_on, version=F("version") + 1)
        audit_step(
            actor, case, "case.recheck_due", case.status, case.status, {"reason": "家庭成员死亡"}
        )
        rechecked.append(case.number)
    return {"ended": ended, "recheck": rechecked}


def _end_for_death(actor, case: Case, died_on: date) -> None:
    won = Case.objects.filter(pk=case.pk, version=case.version).update(
        status=Status.ENDED,
        ended_on=died_on,
        decision_reason="死亡",
        version=F("version") + 1,
    )
    if not won:
        raise Conflict(f"案件 {case.number} 已被他人处理，请刷新后重试。")
    audit_step(actor, case, "case.end", case.status, Status.ENDED, {"reason": "死亡"}, "死亡")
