"""Registry operations. Each writes its audit event in the caller's transaction."""

from django.db.models import F

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit.masking import mask_id_number
from minzheng.registry import selectors
from minzheng.registry.errors import Error
from minzheng.registry.events import Event
from minzheng.registry.models import Household, Person


def update_household_address(actor, household_id: int, *, address: str, version: int) -> Household:
    """Change the address if nobody changed the household since `version` was read."""
    require_permission(actor, "registry.change_household")
    household = selectors.household_for(actor, household_id)
    address = address.strip()
    if not address:
        raise Error.HOUSEHOLD_ADDRESS_MISSING.error(field="address")
    updated = Household.objects.filter(pk=household.pk, version=version).update(
        address=address, version=F("version") + 1
    )
    if not updated:
        raise Error.HOUSEHOLD_STALE_EDIT.error()
    record(
        Event.HOUSEHOLD_CHANGED,
        actor=actor,
        object_type="household",
        object_id=household.pk,
        region_code=household.region_id,
        before={"address": household.address},
        after={"address": address},
    )
    household.refresh_from_db()
    return household


def reveal_id_number(actor, person_id: int, *, request=None) -> str:
    """Show one person's full ID number to a role that may see it; every reveal is audited."""
    require_permission(actor, "registry.reveal_person", Error.REVEAL_NOT_PERMITTED)
    person: Person = selectors.person_for(actor, person_id)
    record(
        Event.PERSON_REVEALED,
        actor=actor,
        request=request,
        object_type="person",
        object_id=person.pk,
        region_code=person.region_id,
        after={"field": "id_number", "masked": mask_id_number(person.id_number)},
    )
    return person.id_number


def record_death(actor, person: Person, died_on) -> bool:
    """A person's death, once (a second record of it changes nothing): the registry's fact,
    which the cases, payments and monitoring read. True when it was recorded now."""
    return _departed(actor, person, "died_on", died_on, Event.PERSON_DIED)


def record_move_out(actor, person: Person, moved_on) -> bool:
    """A person's hukou moved out of the county (户籍迁出), once: from then on the person no
    longer counts in the county's evaluations. True when it was recorded now."""
    return _departed(actor, person, "moved_out_on", moved_on, Event.PERSON_MOVED_OUT)


def _departed(actor, person: Person, field: str, day, action: Event) -> bool:
    recorded = Person.objects.filter(pk=person.pk, **{f"{field}__isnull": True}).update(
        **{field: day}, version=F("version") + 1
    )
    if recorded:
        record(
            action,
            actor=actor,
            object_type="person",
            object_id=person.pk,
            region_code=person.region_id,
            after={field: day.isoformat()},
        )
    return bool(recorded)
