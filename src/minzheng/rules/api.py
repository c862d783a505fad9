"""Screening over HTTP: one registry household, or a household posted as JSON (what-if).

The answer is the explanation of rules/explain.py: every program with its eligibility, amount,
criteria, the parameters used (value, region, effective date, reference) and formula version.
"""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from ninja.renderers import JSONRenderer
from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from minzheng.api_errors import READ_ERRORS, errors
from minzheng.kit.errors import Forbidden
from minzheng.rules.errors import Error
from minzheng.rules.parameters import ParameterNotFound
from minzheng.rules.screening import screen_facts, screen_household

router = Router(tags=["rules"])
# Plausibility limits of the what-if input (declared in the OpenAPI schema, except the age,
# which depends on the evaluation date and is checked by ScreeningHouseholdIn's validator).
MAX_FEN = 10**10  # 1 亿元: an income or expense item (per month or year), an asset's value
MAX_AGE = 120  # years, at the evaluation date
MAX_MEMBERS = 50
SITUATION = (
    "^(normal|dead|missing|severe_disability|serious_illness|in_prison|lost_contact"
    "|guardianship_revoked|deported)?$"
)


class IncomeIn(Schema):
    period: str = Field("monthly", pattern="^(monthly|annual)$")
    amount_fen: int = Field(ge=0, le=MAX_FEN)
    excluded: bool = False


class ScreeningMemberIn(Schema):
    co_resident: bool = True
    exclusion: str = Field(
        "", pattern="^(imprisoned|drug_rehab|declared_missing|clergy_apart|conscript)?$"
    )
    birth_date: date | None = Field(
        None, description=f"不晚于评估日期，评估日期时年龄不超过 {MAX_AGE} 岁"
    )
    disability_category: str = Field(
        "", pattern="^(visual|hearing|speech|physical|intellectual|mental|multiple)?$"
    )
    disability_grade: int | None = Field(None, ge=1, le=4)
    serious_illness: bool = False
    employed: bool = False
    father_situation: str = Field("normal", pattern=SITUATION)
    mother_situation: str = Field("normal", pattern=SITUATION)
    self_care_unable: int | None = Field(None, ge=0, le=6)
    support_mode: str = Field("dispersed", pattern="^(dispersed|centralised)$")
    long_term_care: bool = True
    work_injury_care: bool = False
    incomes: list[IncomeIn] = Field([], max_length=50)


class AssetIn(Schema):
    kind: str = Field(pattern="^(deposit|securities|vehicle|real_estate|business)$")
    value_fen: int = Field(0, ge=0, le=MAX_FEN)


class SupporterIn(Schema):
    member: int | None = Field(None, ge=0, le=MAX_MEMBERS - 1)
    condition: str = Field(
        pattern="^(able|severe_disability|serious_illness|low_income|imprisoned|missing)$"
    )


class ScreeningHouseholdIn(Schema):
    """A household to screen. The OpenAPI schema names its components by class name, one
    namespace for the whole API: as "HouseholdIn" it replaced the registry's own HouseholdIn
    (and MemberIn) in the schema of the registry's writes."""

    region_code: str = Field(pattern=r"^\d{12}$")
    area_type: str = Field(pattern="^(urban|rural)$")
    members: list[ScreeningMemberIn] = Field(min_length=1, max_length=MAX_MEMBERS)
    assets: list[AssetIn] = Field([], max_length=100)
    supporters: list[SupporterIn] = Field([], max_length=MAX_MEMBERS)
    dibao_recipient: bool = False
    medical_expense_fen: int = Field(0, ge=0, le=MAX_FEN)
    rigid_expense_fen: int = Field(0, ge=0, le=MAX_FEN)
    emergency_type: str = Field("", pattern="^(urgent|expense)?$")
    emergency_cost_fen: int = Field(0, ge=0, le=MAX_FEN)
    as_of: date | None = Field(None, description="评估日期，缺省为今天")

    @model_validator(mode="after")
    def plausible_birth_dates(self):
        """No member born after the evaluation date or older than MAX_AGE at it. The error
        names the member's birth_date through ctx["at"] (see minzheng/api.py)."""
        day = self.as_of or timezone.localdate()
        for i, member in enumerate(self.members):
            birth = member.birth_date
            if birth is None:
                continue
            at = {"at": ["members", i, "birth_date"], "n": i + 1, "birth": birth.isoformat()}
            if birth > day:
                raise PydanticCustomError(
                    "birth_after_as_of",
                    "第{n}位家庭成员的出生日期 {birth} 晚于评估日期 {as_of}",
                    {**at, "as_of": day.isoformat()},
                )
            age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
            if age > MAX_AGE:
                raise PydanticCustomError(
                    "age_implausible",
                    "第{n}位家庭成员在评估日期 {as_of} 时 {age} 岁，年龄不能超过 {max_age} 岁",
                    {**at, "as_of": day.isoformat(), "age": age, "max_age": MAX_AGE},
                )
        return self


class CriterionOut(Schema):
    key: str
    label: str
    value: bool | int | str | None


class ParameterOut(Schema):
    name: str
    label: str
    value: str
    unit: str
    region: str
    effective_from: date
    reference: str


class MemberResultOut(Schema):
    member: int
    eligible: bool
    amount_fen: int | None
    criteria: list[CriterionOut]


class ProgramOut(Schema):
    code: str
    label: str
    level: str
    formula_version: str
    references: list[str]
    parameters: list[ParameterOut]
    eligible: bool
    amount_fen: int | None
    criteria: list[CriterionOut] | None = None
    members: list[MemberResultOut] | None = None


class ScreeningOut(Schema):
    as_of: date
    region_code: str
    area_type: str
    facts: dict[str, int]
    programs: list[ProgramOut]
    eligible: list[str]
    monthly_total_fen: int


def _screen(request: HttpRequest, call) -> HttpResponse:
    """The explanation as rules/explain.py builds it, rendered as JSON. Its shape is
    ScreeningOut's (the OpenAPI schema; tests validate answers against it): validating a few
    hundred nested fields again on every call cost more than the evaluation itself."""
    try:
        result = call()
    except ParameterNotFound as exc:
        raise Error.PARAMETER_NOT_IN_FORCE.error(problem=str(exc)) from None
    for program in result["programs"]:  # as ProgramOut: both keys, one of them null
        program.setdefault("criteria", None)
        program.setdefault("members", None)
    body = _RENDERER.render(request, result, response_status=200)
    return HttpResponse(body, content_type=_RENDERER.media_type)


_RENDERER = JSONRenderer()


@router.get("/households/{household_id}/screening", response={200: ScreeningOut, **READ_ERRORS})
def household_screening(request: HttpRequest, household_id: int, as_of: date | None = None):
    if not request.user.has_perm("registry.view_household"):
        raise Forbidden()
    day = as_of or timezone.localdate()
    return _screen(request, lambda: screen_household(request.user, household_id, day))


@router.post("/screening", response={200: ScreeningOut, **errors(400, 401, 403, 422)})
def what_if_screening(request: HttpRequest, payload: ScreeningHouseholdIn):
    """Evaluate a household that is not (or not yet) in the registry; nothing is stored."""
    if not request.user.has_perm("registry.view_household"):
        raise Forbidden()
    facts = payload.dict()
    day = facts.pop("as_of") or timezone.localdate()
    for supporter in facts["supporters"]:
        if supporter["member"] is not None and supporter["member"] >= len(facts["members"]):
            raise Error.SUPPORTER_MEMBER_MISSING.error(field="supporters")
    return _screen(request, lambda: screen_facts(facts, day))
