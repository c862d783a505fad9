"""What a case reads from the rules: its deadlines and periods (parameters) and its evaluation
(the decision snapshot taken at investigation)."""

from datetime import date

from minzheng.registry.selectors import living_members
from minzheng.rules import snapshots
from minzheng.rules.parameters import resolve
from minzheng.rules.publication import effective_tree


def parameter(name: str, day: date, case) -> tuple:
    """(value, unit) of a parameter for the case's region (and urban/rural, where split)."""
    found = effective_tree()[name]
    area = case.household.area_type if found.by_area else None
    resolved = resolve(found, day, case.region_id, area)
    return resolved.value, resolved.unit


def integer(name: str, day: date, case) -> int:
    return int(parameter(name, day, case)[0])


def fen(name: str, day: date, case) -> int:
    """A money parameter (元) in fen."""
    return int(parameter(name, day, case)[0] * 100)


def evaluate(actor, case, day: date):
    """The rules' result for the household now, kept with the case."""
    return snapshots.take(actor, case.household_id, day, "case", case.number)


def amount(case) -> int | None:
    """The monthly amount the kept evaluation gives for the case's program (and person)."""
    found = _result(case)
    return found["amount_fen"] if found and found["eligible"] else None


def ineligible(case) -> bool:
    """True when an evaluation is kept and it gives the case's program no amount (不符合)."""
    return case.snapshot_id is not None and amount(case) is None


def criterion(case, key: str):
    """One criterion's value in the kept evaluation (for a person program, the person's)."""
    found = _result(case)
    if not found:
        return ""
    return next((c["value"] for c in found["criteria"] if c["key"] == key), "")


def _result(case) -> dict | None:
    if case.snapshot is None:
        return None
    code = "dibao_single" if case.program == "dibao" and case.person_id else case.program
    program = next((p for p in case.snapshot.explanation["programs"] if p["code"] == code), None)
    if program is None or "members" not in program:
        return program
    members = list(living_members(case.household).values_list("pk", flat=True))
    if case.person_id not in members:
        return None
    return program["members"][members.index(case.person_id)]


def next_review(case, after: date, unstable: bool) -> date:
    name = "cases.review_months_unstable" if unstable else "cases.review_months"
    return months_after(after, integer(name, after, case))


def months_after(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)
