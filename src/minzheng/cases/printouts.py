"""The documents of social assistance staff print on request: the 公示 list a township posts in
a village, and the 核对 authorisation form the family signs. This module builds what they
print; documents.issuing numbers, dates, keeps and audits them. The caller owns the
transaction. The decision notices are issued by the decision itself (notices.py)."""

from datetime import date

from minzheng.accounts.permissions import require_permission
from minzheng.cases import selectors as case_selectors
from minzheng.cases import services as cases
from minzheng.cases.errors import Error
from minzheng.documents.issuing import issue, township_issuer
from minzheng.documents.kinds import Kind, register
from minzheng.documents.models import Document
from minzheng.kit.errors import NotFound
from minzheng.kit.masking import mask_id_number
from minzheng.kit.money import fen_to_yuan
from minzheng.regions import codes
from minzheng.regions.models import Region
from minzheng.regions.scoping import user_may_access_region

PUBLICITY = register(
    Kind("publicity", "社会救助公示名单", "publicity", "民公", "cases/documents/publicity.html")
)
CONSENT = register(
    Kind("consent", "家庭经济状况核对授权书", "consent", "民核", "cases/documents/consent.html")
)

# 社会救助暂行办法 Art. 58: what the county may query with the family's authorisation.
CHECKED = (
    "户籍管理、税务、社会保险、不动产登记、工商登记、住房公积金管理、车船管理等单位，"
    "以及银行、保险、证券等金融机构"
)


def issue_publicity(actor, village_code: str, today: date) -> Document:
    """The village's 公示 list as it stands today: what the law allows (masked name, household
    size, program, proposed amount, end date)."""
    require_permission(actor, "cases.publicise_case", Error.PUBLICITY_NOT_PERMITTED)
    village = Region.objects.filter(code=village_code, level=codes.VILLAGE).first()
    if village is None or not user_may_access_region(actor, village_code):
        raise NotFound()
    rows = case_selectors.public_notice(village_code, today)
    if not rows:
        raise Error.NOTHING_UNDER_PUBLICITY.error(village=village.name, field="village")
    township = village.parent
    payload = {
        "issuer": township_issuer(township.name),
        "township": township.name,
        "village": village.name,
        "rows": [
            {
                "number": r["number"],
                "name": r["name"],
                "members": r["members"],
                "program": str(r["program"]),
                "amount": None if r["amount_fen"] is None else f"{fen_to_yuan(r['amount_fen']):,}",
                "ends_on": r["ends_on"].isoformat(),
            }
            for r in rows
        ],
        "ends_on": max(r["ends_on"] for r in rows).isoformat(),
        "issued_on": today.isoformat(),
    }
    return issue(actor, PUBLICITY, region_code=village_code, today=today, payload=payload)


def issue_consent_form(actor, case_id: int, today: date) -> Document:
    """The form every adult member and every legal supporter signs to authorise the 核对; ID
    numbers are printed masked (the family writes them in full when signing)."""
    case = cases.case_for(actor, case_id)
    require_permission(actor, "cases.investigate_case", Error.CONSENT_FORM_NOT_PERMITTED)
    adult_before = case.submitted_on.replace(year=case.submitted_on.year - 18)
    members = case.household.members.filter(
        birth_date__lte=adult_before, died_on__isnull=True
    ).order_by("id")
    signers = [
        {
            "name": p.name,
            "relation": str(p.get_relation_display()),
            "id_number": mask_id_number(p.id_number),
            "role": "家庭成员",
        }
        for p in members
    ] + [
        {
            "name": s.name,
            "relation": str(s.get_duty_display()),
            "id_number": mask_id_number(s.id_number),
            "role": "赡养（抚养、扶养）义务人",
        }
        for s in case.household.supporters.order_by("id")
    ]
    county = Region.objects.get(code=codes.county_of(case.region_id))
    head = case.household.members.filter(relation="head").first()
    payload = {
        "bureau": f"{county.name}民政局",
        "case_number": case.number,
        "program": case.get_program_display(),
        "household_number": case.household.number,
        "address": case.household.address,
        "head": head.name if head else "",
        "signers": signers,
        "checked": CHECKED,
        "issued_on": today.isoformat(),
    }
    return issue(
        actor,
        CONSENT,
        region_code=case.region_id,
        today=today,
        payload=payload,
        subject=("case", case),
    )
