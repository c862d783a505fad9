"""Who has yet to authorise the 核对 of a case: every member aged 18 or over on the day of the
application, and every legal supporter (社会救助暂行办法 art. 58). Investigating needs them all."""

from minzheng.cases.errors import Error
from minzheng.cases.models import Case


def consents_missing_from(case: Case) -> tuple[list, list]:
    """(adult members, legal supporters) who have not yet authorised the check."""
    adult_before = case.submitted_on.replace(year=case.submitted_on.year - 18)
    given = case.consents.values_list("person_id", "supporter_id")
    people = {p for p, _ in given if p}
    supporters = {s for _, s in given if s}
    members = case.household.members.filter(
        birth_date__lte=adult_before, died_on__isnull=True
    ).order_by("id")
    return (
        [p for p in members if p.pk not in people],
        [s for s in case.household.supporters.order_by("id") if s.pk not in supporters],
    )


def missing_consents(case: Case) -> list[str]:
    members, supporters = consents_missing_from(case)
    return [p.name for p in members] + [s.name for s in supporters]


def require_consents(case: Case) -> None:
    missing = missing_consents(case)
    if missing:
        raise Error.CONSENTS_MISSING.error(names="、".join(missing))
