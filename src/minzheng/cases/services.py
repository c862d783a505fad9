"""Case services: apply, take one statutory step (cases/workflow.py) on a case, record a consent.

Steps go through the procedure layer's one skeleton (procedures.services.perform): the case in
the actor's region (else NotFound), the permission (Forbidden), the step allowed from the
case's status and for its program (Conflict), the step's validation (ValidationFailed), then
the write with an optimistic version check, the periods, the audit event on the household's
timeline and the decision notice. Callers (views, API) own the transaction.
"""

from datetime import date

from django.db import IntegrityError, transaction

from minzheng.accounts.permissions import require_permission
from minzheng.cases.consents import consents_missing_from, missing_consents
from minzheng.cases.errors import Error
from minzheng.cases.models import Case, Consent, Program, holds_the_place
from minzheng.cases.workflow import PROCEDURE
from minzheng.policies import programs
from minzheng.procedures import events
from minzheng.procedures import services as procedures
from minzheng.registry import selectors

__all__ = ["consents_missing_from", "missing_consents"]  # the case screens read them here

PERSON_PROGRAMS = {p.code for p in programs.catalogue(level=programs.PERSON)}


def cases_for(user):
    return PROCEDURE.records_for(user)


def case_for(user, case_id: int) -> Case:
    require_permission(user, PROCEDURE.view_permission)
    return PROCEDURE.record_for(user, case_id)


def apply(actor, household_id: int, program: str, today: date, *, person_id=None):
    """A new application (申请), entered by staff for a household in their region."""
    require_permission(actor, "cases.add_case", Error.APPLY_NOT_PERMITTED)
    household = selectors.household_for(actor, household_id)
    return open_case(actor, household, program, today, person_id=person_id, channel="staff")


def open_case(actor, household, program: str, today: date, *, person_id, channel: str) -> Case:
    """The application itself, once the caller has checked who may apply for this household.
    One live case per household, program and person (低保: per household) is the database's
    rule: two applications at once give one case and one conflict."""
    if program not in Program.values:
        raise Error.UNKNOWN_PROGRAM.error(program=program, field="program")
    person = None
    if program in PERSON_PROGRAMS or (program == Program.DIBAO and person_id):
        # 低保 with a person is a 单人户 application: only that person is assessed and covered
        person = household.members.filter(pk=person_id).first()
        if person is None:
            raise Error.APPLICANT_REQUIRED.error(field="person")
    try:
        with transaction.atomic():
            return procedures.open_record(
                PROCEDURE,
                actor,
                counter="case",
                prefix="SA",
                today=today,
                details={"program": program, "channel": channel},
                program=program,
                household=household,
                person=person,
                region_id=household.region_id,
                channel=channel,
                submitted_on=today,
            )
    except IntegrityError:
        number = _holding_number(household, program, person)
        raise Error.DUPLICATE_APPLICATION.error(number=number) from None


def _holding_number(household, program: str, person) -> str:
    """The number of the live case that holds the place of this application."""
    same = Case.objects.filter(holds_the_place(), household=household, program=program)
    if program != Program.DIBAO:  # one 低保 case per household: whole household or 单人户
        same = same.filter(person=person)
    found = same.first()
    return found.number if found else ""


def perform(actor, case_id: int, action: str, version: int, today: date, **data) -> Case:
    """Take one step on a case; `version` is the one the actor saw (stale → Conflict)."""
    return procedures.perform(PROCEDURE, actor, case_id, action, version, today, **data)


def audit_case(actor, case, action: str, details: dict) -> None:
    """An event on the case (and so on its household's timeline) that does not move it."""
    events.noted(PROCEDURE, actor, case, action.removeprefix("case."), details)


def record_consent(
    actor, case_id: int, today: date, *, person_id=None, supporter_id=None, method="electronic"
) -> Consent:
    """The 核对 authorisation of one adult member or one legal supporter of the household."""
    case = case_for(actor, case_id)
    require_permission(actor, "cases.investigate_case", Error.CONSENT_NOT_PERMITTED)
    if (person_id is None) == (supporter_id is None):
        raise Error.CONSENT_WHO.error()
    if person_id is not None and not case.household.members.filter(pk=person_id).exists():
        raise Error.CONSENT_NOT_A_MEMBER.error(field="person")
    if supporter_id is not None and not case.household.supporters.filter(pk=supporter_id).exists():
        raise Error.CONSENT_NOT_A_SUPPORTER.error(field="supporter")
    consent, created = Consent.objects.get_or_create(
        case=case,
        person_id=person_id,
        supporter_id=supporter_id,
        defaults={"method": method, "given_on": today, "recorded_by": actor},
    )
    if created:
        details = {"person": person_id, "supporter": supporter_id, "method": method}
        audit_case(actor, case, "consent_recorded", details)
    return consent
