"""Screening over HTTP: one registry household, or a household posted as JSON (what-if)."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from minzheng.kit.errors import Forbidden, ValidationFailed
from minzheng.rules.parameters import ParameterNotFound
from minzheng.rules.screening import screen_facts, screen_household

router = Router(tags=["rules"])


class IncomeIn(Schema):
    period: str = Field("monthly", pattern="^(monthly|annual)$")
    amount_fen: int = Field(ge=0)
    excluded: bool = False


class MemberIn(Schema):
    co_resident: bool = True
    exclusion: str = ""
    incomes: list[IncomeIn] = []


class HouseholdIn(Schema):
    region_code: str = Field(pattern=r"^\d{12}$")
    area_type: str = Field(pattern="^(urban|rural)$")
    members: list[MemberIn] = Field(min_length=1, max_length=50)
    as_of: date | None = None


class ScreeningOut(Schema):
    as_of: date
    members: int
    income_fen: int
    standard_fen: int
    standard_region: str
    standard_from: date
    standard_reference: str
    edge_multiplier: str
    dibao_eligible: bool
    dibao_amount_fen: int
    dibao_edge_eligible: bool
    formula_version: str


def _screen(call):
    try:
        return call()
    except ParameterNotFound as exc:
        raise ValidationFailed(str(exc)) from None


@router.get("/households/{household_id}/screening", response=ScreeningOut)
def household_screening(request: HttpRequest, household_id: int, as_of: date | None = None):
    if not request.user.has_perm("registry.view_household"):
        raise Forbidden()
    day = as_of or timezone.localdate()
    return _screen(lambda: screen_household(request.user, household_id, day))


@router.post("/screening", response=ScreeningOut)
def what_if_screening(request: HttpRequest, payload: HouseholdIn):
    """Evaluate a household that is not (or not yet) in the registry; nothing is stored."""
    if not request.user.has_perm("registry.view_household"):
        raise Forbidden()
    facts = payload.dict()
    day = facts.pop("as_of") or timezone.localdate()
    return _screen(lambda: screen_facts(facts, day))
