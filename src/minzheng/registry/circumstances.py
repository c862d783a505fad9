"""Adding and removing a household's circumstances: income items, assets, legal supporters and
self-care assessments. One shape for all four: scope the household, check the person belongs
to it, save, audit with masked values."""

from django.db import models

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit import crypto
from minzheng.kit.errors import NotFound
from minzheng.kit.ids import parse_id_number
from minzheng.kit.masking import mask_id_number
from minzheng.registry import selectors
from minzheng.registry.errors import Error
from minzheng.registry.events import Event
from minzheng.registry.models import Asset, IncomeItem, SelfCareAssessment, Supporter

KINDS: dict[str, type[models.Model]] = {
    "income": IncomeItem,
    "asset": Asset,
    "supporter": Supporter,
    "selfcare": SelfCareAssessment,
}
# The person field of each kind that must belong to the household, if any.
_PERSON_FIELD = {
    "income": "person",
    "asset": "owner",
    "supporter": "supported",
    "selfcare": "person",
}


def add_circumstance(
    actor, household_id: int, kind: str, instance: models.Model, *, supporter_id_number: str = ""
) -> models.Model:
    """Save `instance` (an unsaved IncomeItem, Asset, Supporter or SelfCareAssessment) for the
    household, after checking permission, region and membership."""
    require_permission(actor, "registry.change_household")
    household = selectors.household_for(actor, household_id)
    person = getattr(instance, _PERSON_FIELD[kind], None)
    if person is not None and person.household_id != household.pk:
        raise Error.NOT_A_MEMBER.error(field=_PERSON_FIELD[kind])
    if kind in ("asset", "supporter"):
        instance.household = household
    if kind == "supporter":
        identity = parse_id_number(supporter_id_number)
        instance.id_number = identity.number
        instance.id_number_index = crypto.blind_index(identity.number, "id_number")
    instance.save()
    record(
        Event(f"{kind}.added"),  # every kind's actions are declared in events.py
        actor=actor,
        object_type="household",
        object_id=household.pk,
        region_code=household.region_id,
        after=_describe(kind, instance),
    )
    return instance


def remove_circumstance(actor, household_id: int, kind: str, pk: int) -> None:
    require_permission(actor, "registry.change_household")
    household = selectors.household_for(actor, household_id)
    model = KINDS[kind]
    owner_path = "household" if kind in ("asset", "supporter") else "person__household"
    instance = model.objects.filter(pk=pk, **{owner_path: household}).first()
    if instance is None:
        raise NotFound()
    description = _describe(kind, instance)
    instance.delete()
    record(
        Event(f"{kind}.removed"),
        actor=actor,
        object_type="household",
        object_id=household.pk,
        region_code=household.region_id,
        before=description,
    )


def _describe(kind: str, instance: models.Model) -> dict:
    """What the audit log keeps: the fields, with the supporter's ID number masked."""
    values = {
        f.name: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.name not in ("id", "id_number_index", "household")
    }
    if kind == "supporter":
        values["id_number"] = mask_id_number(values["id_number"])
    return values
