"""Residents online (网上申请): an account linked to the resident's own registry record may apply
for its own household, see that household's cases and give its own 核对 authorisation —
nothing else. Staff then take the case through the same statutory steps."""

from datetime import date

from minzheng.accounts.permissions import require_permission
from minzheng.cases import services
from minzheng.cases.errors import Error
from minzheng.cases.models import Case, Consent


def own_household(resident):
    require_permission(resident, "cases.apply_online", Error.ONLINE_RESIDENTS_ONLY)
    if resident.person_id is None:
        raise Error.RESIDENT_UNLINKED.error()
    return resident.person.household


def my_cases(resident) -> list[Case]:
    return list(own_household(resident).cases.order_by("-created_at"))


def apply_online(resident, program: str, today: date, *, person_id=None) -> Case:
    household = own_household(resident)
    return services.open_case(
        resident, household, program, today, person_id=person_id, channel="online"
    )


def consent_online(resident, case_id: int, today: date) -> Consent:
    """The resident's own electronic authorisation for a case of the household."""
    household = own_household(resident)
    case = household.cases.filter(pk=case_id).first()
    if case is None:
        raise Error.RESIDENT_CASE_NOT_FOUND.error()
    consent, created = Consent.objects.get_or_create(
        case=case,
        person_id=resident.person_id,
        defaults={"method": "electronic", "given_on": today, "recorded_by": resident},
    )
    if created:
        services.audit_case(
            resident,
            case,
            "case.consent_recorded",
            {"person": resident.person_id, "method": "electronic"},
        )
    return consent


def my_consent_missing(resident, case: Case) -> bool:
    return not case.consents.filter(person_id=resident.person_id).exists()
