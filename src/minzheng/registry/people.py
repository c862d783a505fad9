"""Registering households and persons, editing persons, moving them between households.

Every operation checks the permission and the user's region, refuses duplicates with a clear
message, writes its audit event with masked values, and leaves the transaction to the caller.
"""

from dataclasses import asdict, dataclass, fields
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.kit import crypto
from minzheng.kit.ids import parse_id_number
from minzheng.kit.masking import mask_bank_account, mask_id_number, mask_phone
from minzheng.kit.pinyin import name_pinyin
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import user_may_access_region
from minzheng.registry import selectors
from minzheng.registry.errors import Error
from minzheng.registry.events import Event
from minzheng.registry.models import Household, HouseholdMove, Person

MASKED = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "bank_account": mask_bank_account,
    "disability_certificate": mask_id_number,
}


@dataclass
class PersonFacts:
    """What a form or import says about a person; the ID number decides sex and birth date."""

    name: str
    relation: str
    phone: str = ""
    co_resident: bool = True
    exclusion: str = ""
    exclusion_since: date | None = None
    disability_category: str = ""
    disability_grade: int | None = None
    disability_certificate: str = ""
    labour_capacity: str = Person.LabourCapacity.FULL
    serious_illness: bool = False
    employed: bool = False
    student_status: str = ""
    bank_name: str = ""
    bank_account: str = ""
    father_situation: str = ""
    mother_situation: str = ""


EDITABLE = tuple(f.name for f in fields(PersonFacts))


def register_household(
    actor,
    *,
    village_code: str,
    address: str,
    area_type: str,
    head_id_number: str,
    head: PersonFacts,
    hukou_address: str = "",
) -> Household:
    require_permission(actor, "registry.add_household")
    village = _village_for(actor, village_code)
    if not address.strip():
        raise Error.HOUSEHOLD_ADDRESS_MISSING.error(field="address")
    head.relation = Person.Relation.HEAD
    _validate(head)
    household = _create_numbered_household(
        village, address.strip(), area_type, hukou_address.strip()
    )
    record(
        Event.HOUSEHOLD_REGISTERED,
        actor=actor,
        object_type="household",
        object_id=household.pk,
        region_code=village.code,
        after={"number": household.number, "address": household.address},
    )
    _create_person(actor, household, head_id_number, head)
    return household


def add_member(actor, household_id: int, id_number: str, facts: PersonFacts) -> Person:
    require_permission(actor, "registry.add_person")
    household = selectors.household_for(actor, household_id)
    if household.status != Household.Status.ACTIVE:
        raise Error.HOUSEHOLD_CLOSED.error()
    if (
        facts.relation == Person.Relation.HEAD
        and household.members.filter(relation="head").exists()
    ):
        raise Error.HOUSEHOLD_HAS_HEAD.error(field="relation")
    return _create_person(actor, household, id_number, facts)


def update_person(actor, person_id: int, changes: dict, *, version: int) -> Person:
    """Apply `changes` (PersonFacts fields) if nobody changed the person since `version`."""
    require_permission(actor, "registry.change_person")
    person = selectors.person_for(actor, person_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Error.NOT_EDITABLE.error(fields="、".join(sorted(unknown)))
    changes = {k: v for k, v in changes.items() if getattr(person, k) != v}
    if not changes:
        return person  # nothing to save: no new version, so nobody else's edit turns stale
    _validate(PersonFacts(**{**{k: getattr(person, k) for k in EDITABLE}, **changes}))
    if changes.get("relation") == Person.Relation.HEAD and (
        person.household.members.filter(relation="head").exclude(pk=person.pk).exists()
    ):
        raise Error.HOUSEHOLD_HAS_HEAD.error(field="relation")
    if "name" in changes:
        changes["name_pinyin"], changes["name_initials"] = name_pinyin(changes["name"])
    before = {k: getattr(person, k) for k in changes}
    # .update() seals encrypted fields itself (EncryptedTextField.get_prep_value)
    updated = Person.objects.filter(pk=person.pk, version=version).update(
        **changes, version=F("version") + 1
    )
    if not updated:
        raise Error.STALE_EDIT.error()
    if changes:
        record(
            Event.PERSON_CHANGED,
            actor=actor,
            object_type="person",
            object_id=person.pk,
            region_code=person.region_id,
            before=_masked(before),
            after=_masked(changes),
        )
    person.refresh_from_db()
    return person


def transfer_person(
    actor, person_id: int, to_household_id: int, *, relation: str, reason: str
) -> Person:
    """Move a person to another household in the user's region (an explicit, audited act)."""
    require_permission(actor, "registry.transfer_person")
    person = selectors.person_for(actor, person_id)
    source = person.household
    target = selectors.household_for(actor, to_household_id)
    _check_transfer(person, source, target, relation, reason)
    Person.objects.filter(pk=person.pk).update(
        household=target, region=target.region, relation=relation, version=F("version") + 1
    )
    HouseholdMove.objects.create(
        person=person,
        from_household=source,
        to_household=target,
        moved_at=timezone.now(),
        reason=reason.strip(),
    )
    record(
        Event.PERSON_TRANSFERRED,
        actor=actor,
        object_type="person",
        object_id=person.pk,
        region_code=target.region_id,
        reason=reason.strip(),
        before={"household": source.number, "relation": person.relation},
        after={"household": target.number, "relation": relation},
    )
    if not source.members.exists():
        Household.objects.filter(pk=source.pk).update(
            status=Household.Status.CLOSED, version=F("version") + 1
        )
        record(
            Event.HOUSEHOLD_CLOSED,
            actor=actor,
            object_type="household",
            object_id=source.pk,
            region_code=source.region_id,
            reason="最后一名成员迁出",
        )
    person.refresh_from_db()
    return person


def _check_transfer(
    person: Person, source: Household, target: Household, relation: str, reason: str
) -> None:
    if target.pk == source.pk:
        raise Error.TRANSFER_SAME_HOUSEHOLD.error(field="household")
    if target.status != Household.Status.ACTIVE:
        raise Error.TRANSFER_TARGET_CLOSED.error(field="household")
    if not reason.strip():
        raise Error.TRANSFER_REASON_MISSING.error(field="reason")
    if len(reason.strip()) > 200:
        raise Error.TRANSFER_REASON_TOO_LONG.error(field="reason")
    if person.relation == Person.Relation.HEAD and source.members.count() > 1:
        raise Error.TRANSFER_HEAD_FIRST.error()
    if relation == Person.Relation.HEAD and target.members.filter(relation="head").exists():
        raise Error.TRANSFER_TARGET_HAS_HEAD.error(field="relation")


def _validate(facts: PersonFacts) -> None:
    """The checks every caller needs (screens, API, import): a name, and known choice values."""
    if not facts.name.strip():
        raise Error.NAME_MISSING.error(field="name")
    if len(facts.name.strip()) > 50:
        raise Error.NAME_TOO_LONG.error(field="name")
    for name in _CHOICE_FIELDS:
        value = getattr(facts, name)
        allowed = {choice for choice, _ in Person._meta.get_field(name).choices}
        if value and value not in allowed:
            raise Error.BAD_CHOICE.error(field=name, value=value)
    if facts.disability_grade is not None and facts.disability_grade not in (1, 2, 3, 4):
        raise Error.BAD_DISABILITY_GRADE.error(field="disability_grade")


_CHOICE_FIELDS = (
    "relation",
    "exclusion",
    "disability_category",
    "labour_capacity",
    "student_status",
    "father_situation",
    "mother_situation",
)


def _create_person(actor, household: Household, raw_id_number: str, facts: PersonFacts) -> Person:
    _validate(facts)
    identity = parse_id_number(raw_id_number)
    index = crypto.blind_index(identity.number, "id_number")
    _refuse_duplicate(actor, index)
    full, initials = name_pinyin(facts.name.strip())
    person = Person(
        household=household,
        region_id=household.region_id,
        id_number=identity.number,
        id_number_index=index,
        sex=identity.sex,
        birth_date=identity.birth_date,
        name_pinyin=full,
        name_initials=initials,
        **{**asdict(facts), "name": facts.name.strip()},
    )
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # registered concurrently since the check above
        _refuse_duplicate(actor, index)
        raise
    record(
        Event.PERSON_REGISTERED,
        actor=actor,
        object_type="person",
        object_id=person.pk,
        region_code=household.region_id,
        after=_masked(
            {
                "household": household.number,
                "name": person.name,
                "id_number": identity.number,
                "relation": person.relation,
            }
        ),
    )
    return person


def _refuse_duplicate(actor, index: str) -> None:
    existing = Person.objects.select_related("household").filter(id_number_index=index).first()
    if existing is None:
        return
    if user_may_access_region(actor, existing.region_id):
        raise Error.DUPLICATE_ID_NUMBER.error(
            field="id_number", number=existing.household.number, name=existing.name
        )
    raise Error.DUPLICATE_ID_NUMBER_ELSEWHERE.error(field="id_number")


def _create_numbered_household(
    village: Region, address: str, area_type: str, hukou_address: str
) -> Household:
    """Household numbers are the village code plus a 5-digit sequence; the unique constraint
    settles a race between two registrations, and the loser takes the next number."""
    for _attempt in range(5):
        last = (
            Household.objects.filter(number__startswith=village.code)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        sequence = int(last[12:]) + 1 if last else 1
        try:
            with transaction.atomic():
                return Household.objects.create(
                    number=f"{village.code}{sequence:05d}",
                    region=village,
                    address=address,
                    area_type=area_type or village.area_type or "rural",
                    hukou_address=hukou_address,
                )
        except IntegrityError:
            continue
    raise Error.HOUSEHOLD_NUMBER_CONFLICT.error()


def _village_for(actor, village_code: str) -> Region:
    village = Region.objects.filter(code=village_code).first()
    if village is None or village.level != codes.VILLAGE:
        raise Error.VILLAGE_CODE.error(field="village", code=village_code)
    if not user_may_access_region(actor, village.code):
        raise Error.VILLAGE_OUT_OF_SCOPE.error()
    return village


def _masked(values: dict) -> dict:
    return {k: MASKED[k](v) if k in MASKED and v else v for k, v in values.items()}
