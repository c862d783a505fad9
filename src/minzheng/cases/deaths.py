"""A person leaves the household's count — by death, or by moving out of the county — and the
cases follow: the person's own cases end, and so do the household's when nobody counted is
left; a household case with members left is due for 复核 at once (its amount changes).

The departure itself is the registry's fact (registry.services.record_death, record_move_out);
the cases move through their declared steps (end_for_death, end_for_move, recheck_due), so each
is versioned and audited like any step."""

from datetime import date

from minzheng.accounts.permissions import require_permission
from minzheng.cases.errors import Error
from minzheng.cases.models import LIVE
from minzheng.cases.services import cases_for, perform
from minzheng.registry import selectors
from minzheng.registry.services import record_death, record_move_out


def person_died(actor, person_id: int, died_on: date) -> dict[str, list[str]]:
    """Record the death on the person and end or flag the cases (see the module)."""
    require_permission(actor, "cases.decide_case", Error.END_FOR_DEATH_NOT_PERMITTED)
    return _departed(actor, person_id, died_on, record_death, "end_for_death", "死亡")


def person_moved_out(actor, person_id: int, moved_on: date) -> dict[str, list[str]]:
    """Record the hukou's move out of the county and end or flag the cases (see the module)."""
    require_permission(actor, "cases.decide_case", Error.END_FOR_MOVE_NOT_PERMITTED)
    return _departed(actor, person_id, moved_on, record_move_out, "end_for_move", "户籍迁出")


def _departed(actor, person_id: int, day: date, record, ending: str, why: str) -> dict:
    person = selectors.person_for(actor, person_id)
    live = cases_for(actor).filter(status__in=LIVE)
    own = list(live.filter(person=person))
    household_cases = list(live.filter(household=person.household, person__isnull=True))
    record(actor, person, day)
    others = (
        person.household.members.exclude(pk=person.pk)
        .filter(co_resident=True, died_on__isnull=True, moved_out_on__isnull=True)
        .exists()
    )
    ended, rechecked = [], []
    for case in own + ([] if others else household_cases):
        perform(actor, case.pk, ending, case.version, day, reason=why)
        ended.append(case.number)
    for case in household_cases if others else []:
        reason = {"reason": f"家庭成员{why}"}
        perform(actor, case.pk, "recheck_due", case.version, day, audit=reason)
        rechecked.append(case.number)
    return {"ended": ended, "recheck": rechecked}
