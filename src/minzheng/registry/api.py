"""The registry's JSON API (mounted at /api/registry/): households and their members.

Thin: parse, call one selector or service (writes inside one transaction, so a refusal leaves
no row and no audit event), return a schema. Reads need `registry.view_household`; the services
check their own write permissions and the user's region. ID numbers and phones are masked in
every answer; only `reveal` returns a clear ID number, and the service audits it.
"""

from datetime import date
from typing import Annotated, Literal

from django.db import transaction
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, StringConstraints

from minzheng.api_errors import READ_ERRORS, WRITE_ERRORS
from minzheng.kit.api_pages import Pages
from minzheng.kit.errors import Forbidden
from minzheng.kit.masking import mask_id_number, mask_phone
from minzheng.registry import people, selectors, services
from minzheng.registry.models import (
    AreaType,
    DisabilityCategory,
    Exclusion,
    ParentSituation,
    Person,
    StudentStatus,
)

router = Router(tags=["registry"])

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Line = Annotated[str, StringConstraints(max_length=200)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Blank = Literal[""]


class HouseholdOut(Schema):
    id: int
    number: str
    region_code: str
    region_name: str
    address: str
    area_type: str
    status: str
    size: int

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name


class PersonOut(Schema):
    id: int
    household_id: int
    name: str
    sex: str
    birth_date: date
    relation: str
    id_number_masked: str
    phone_masked: str
    co_resident: bool
    exclusion: str
    disability_category: str
    disability_grade: int | None
    labour_capacity: str
    version: int

    @staticmethod
    def resolve_id_number_masked(obj) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_phone_masked(obj) -> str:
        return mask_phone(obj.phone)


class HouseholdDetail(HouseholdOut):
    hukou_address: str
    version: int
    members: list[PersonOut]

    @staticmethod
    def resolve_size(obj) -> int:
        return obj.members.count()

    @staticmethod
    def resolve_members(obj) -> list[Person]:
        return selectors.members_of(obj)


class RevealOut(Schema):
    id_number: str


class FactsIn(Schema):
    """The fields of `people.PersonFacts`; the ID number decides sex and birth date."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    phone: Short = ""
    co_resident: bool = True
    exclusion: Exclusion = Exclusion.NONE
    exclusion_since: date | None = None
    disability_category: DisabilityCategory | Blank = ""
    disability_grade: int | None = Field(None, ge=1, le=4)
    disability_certificate: Short = ""
    labour_capacity: Person.LabourCapacity = Person.LabourCapacity.FULL
    serious_illness: bool = False
    employed: bool = False
    student_status: StudentStatus = StudentStatus.NONE
    bank_name: Annotated[str, StringConstraints(max_length=100)] = ""
    bank_account: Short = ""
    father_situation: ParentSituation | Blank = ""
    mother_situation: ParentSituation | Blank = ""


class HeadIn(FactsIn):
    id_number: Short


class MemberIn(FactsIn):
    id_number: Short
    relation: Person.Relation


class PersonPatch(FactsIn):
    """`version` as read, plus only the fields to change (an explicit null is refused)."""

    version: int
    name: Name = None
    relation: Person.Relation = None


class HouseholdIn(Schema):
    model_config = ConfigDict(extra="forbid")

    village_code: str = Field(pattern=r"^\d{12}$")
    address: Line
    area_type: AreaType | Blank = ""
    hukou_address: Line = ""
    head: HeadIn


class TransferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_household_id: int
    relation: Person.Relation
    reason: Line


def _require_view(request) -> None:
    if not request.user.has_perm("registry.view_household"):
        raise Forbidden()


def _facts(payload: FactsIn, relation: str) -> people.PersonFacts:
    values = payload.model_dump(exclude={"id_number", "relation"})
    return people.PersonFacts(**values, relation=relation)


@router.get("/households", response={200: list[HouseholdOut], **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_households(
    request,
    q: str = Query("", description="姓名、拼音或首字母、身份证号码或户编号"),
    region_code: str = Query("", pattern=r"^\d{0,12}$", description="区划代码前缀"),
):
    _require_view(request)
    return selectors.households_for(request.user, search=q, region_code=region_code)


@router.get("/households/{household_id}", response={200: HouseholdDetail, **READ_ERRORS})
def get_household(request, household_id: int):
    _require_view(request)
    return selectors.household_for(request.user, household_id)


@router.post("/households", response={201: HouseholdDetail, **WRITE_ERRORS})
def register_household(request, payload: HouseholdIn):
    with transaction.atomic():
        household = people.register_household(
            request.user,
            village_code=payload.village_code,
            address=payload.address,
            area_type=payload.area_type,
            head_id_number=payload.head.id_number,
            head=_facts(payload.head, Person.Relation.HEAD),
            hukou_address=payload.hukou_address,
        )
    return Status(201, household)


@router.post("/households/{household_id}/members", response={201: PersonOut, **WRITE_ERRORS})
def add_member(request, household_id: int, payload: MemberIn):
    facts = _facts(payload, payload.relation)
    with transaction.atomic():
        person = people.add_member(request.user, household_id, payload.id_number, facts)
    return Status(201, person)


@router.patch("/persons/{person_id}", response={200: PersonOut, **WRITE_ERRORS})
def update_person(request, person_id: int, payload: PersonPatch):
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    with transaction.atomic():
        return people.update_person(request.user, person_id, changes, version=payload.version)


@router.post("/persons/{person_id}/transfer", response={200: PersonOut, **WRITE_ERRORS})
def transfer_person(request, person_id: int, payload: TransferIn):
    with transaction.atomic():
        return people.transfer_person(
            request.user,
            person_id,
            payload.to_household_id,
            relation=payload.relation,
            reason=payload.reason,
        )


@router.post("/persons/{person_id}/reveal", response={200: RevealOut, **READ_ERRORS})
def reveal_id_number(request, person_id: int, response: HttpResponse):
    with transaction.atomic():
        id_number = services.reveal_id_number(request.user, person_id, request=request)
    response["Cache-Control"] = "no-store"  # a clear ID number must not sit in any cache
    return {"id_number": id_number}
