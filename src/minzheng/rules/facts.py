"""One household as plain facts (a dict), and those facts as frames, so the one-household path
(case screen, API what-if, scenarios) runs exactly the batch code.

The facts are JSON-ready: what a decision snapshot stores to reproduce an evaluation later.

    {"region_code", "area_type", "dibao_recipient", "medical_expense_fen", "rigid_expense_fen",
     "emergency_type", "emergency_cost_fen",
     "members": [{"co_resident", "exclusion", "birth_date" (ISO), "disability_category",
                  "disability_grade", "serious_illness", "employed", "father_situation",
                  "mother_situation", "self_care_unable", "support_mode", "long_term_care",
                  "work_injury_care", "incomes": [{"period", "amount_fen", "excluded"}]}],
     "assets": [{"kind", "value_fen"}],
     "supporters": [{"member" (index or null = whole household), "condition"}]}
"""

from datetime import date

import polars as pl

from minzheng.kit.money import yuan_to_fen
from minzheng.registry.selectors import living_members
from minzheng.rules.assessment import ASSET_SCHEMA, SUPPORTER_SCHEMA, Frames

MEMBER_FIELDS = {  # field → (dtype, default)
    "co_resident": (pl.Boolean, True),
    "exclusion": (pl.Utf8, ""),
    "birth_date": (pl.Date, None),
    "disability_category": (pl.Utf8, ""),
    "disability_grade": (pl.Int8, None),
    "serious_illness": (pl.Boolean, False),
    "employed": (pl.Boolean, False),
    "father_situation": (pl.Utf8, "normal"),
    "mother_situation": (pl.Utf8, "normal"),
    "self_care_unable": (pl.Int8, None),
    "support_mode": (pl.Utf8, "dispersed"),
    "long_term_care": (pl.Boolean, True),
    "work_injury_care": (pl.Boolean, False),
}
HOUSEHOLD_FIELDS = {
    "dibao_recipient": (pl.Boolean, False),
    "medical_expense_fen": (pl.Int64, 0),
    "rigid_expense_fen": (pl.Int64, 0),
    "emergency_type": (pl.Utf8, ""),
    "emergency_cost_fen": (pl.Int64, 0),
}
INCOME_SCHEMA = {
    "person_id": pl.Int64,
    "household_id": pl.Int64,
    "period": pl.Utf8,
    "amount_fen": pl.Int64,
    "excluded": pl.Boolean,
}


SCHEMAS = {
    "households": {
        "household_id": pl.Int64,
        "region_code": pl.Utf8,
        "area_type": pl.Utf8,
        **{name: dtype for name, (dtype, _) in HOUSEHOLD_FIELDS.items()},
    },
    "persons": {
        "person_id": pl.Int64,
        "household_id": pl.Int64,
        **{name: dtype for name, (dtype, _) in MEMBER_FIELDS.items()},
    },
    "incomes": INCOME_SCHEMA,
    "assets": ASSET_SCHEMA,
    "supporters": SUPPORTER_SCHEMA,
}
TABLES = tuple(SCHEMAS)  # in the order of Frames' fields


def rows_of(household: dict) -> dict[str, list[dict]]:
    """The facts as the engine's tables, a dict per row (household 0, members 0, 1, …)."""
    members = household["members"]
    return {
        "households": [
            {
                "household_id": 0,
                "region_code": household["region_code"],
                "area_type": household["area_type"],
                **_fields(household, HOUSEHOLD_FIELDS),
            }
        ],
        "persons": [
            {"person_id": index, "household_id": 0, **_fields(member, MEMBER_FIELDS)}
            for index, member in enumerate(members)
        ],
        "incomes": [
            {
                "person_id": index,
                "household_id": 0,
                "period": item.get("period", "monthly"),
                "amount_fen": int(item["amount_fen"]),
                "excluded": bool(item.get("excluded", False)),
            }
            for index, member in enumerate(members)
            for item in member.get("incomes", [])
        ],
        "assets": [
            {"household_id": 0, "kind": a["kind"], "value_fen": int(a.get("value_fen", 0))}
            for a in household.get("assets", [])
        ],
        "supporters": [
            {
                "household_id": 0,
                "supported_id": s.get("member"),
                "duty": "",
                "monthly_income_fen": 0,
                "condition": s["condition"],
            }
            for s in household.get("supporters", [])
        ],
    }


def frames_for_one(household: dict) -> Frames:
    rows = rows_of(household)
    return Frames(
        *(pl.DataFrame(rows[name], schema=SCHEMAS[name], orient="row") for name in TABLES)
    )


def empty_frames() -> Frames:
    return Frames(*(pl.DataFrame(schema=SCHEMAS[name]) for name in TABLES))


def _fields(facts: dict, fields: dict) -> dict:
    return {
        name: _value(facts.get(name), dtype, default) for name, (dtype, default) in fields.items()
    }


def _value(raw, dtype, default):
    if raw is None:
        return default
    if dtype == pl.Date and isinstance(raw, str):
        return date.fromisoformat(raw)
    return raw


def frames_of(shot) -> Frames:
    """A registry snapshot (registry/snapshot.py) as the engine's frames."""
    return Frames(shot.households, shot.persons, shot.incomes, shot.assets, shot.supporters)


def household_facts(household) -> dict:
    """A registry household in the facts shape (co-resident flags, incomes, assets, latest
    self-care assessment, supporters)."""
    people = list(living_members(household).prefetch_related("incomes", "self_care_assessments"))
    index = {person.pk: i for i, person in enumerate(people)}
    return {
        "region_code": household.region_id,
        "area_type": household.area_type,
        "members": [_member_facts(person) for person in people],
        "assets": [
            {"kind": a.kind, "value_fen": yuan_to_fen(a.value)} for a in household.assets.all()
        ],
        "supporters": [
            {"member": index.get(s.supported_id), "condition": s.condition}
            for s in household.supporters.all()
        ],
    }


def _member_facts(person) -> dict:
    latest = next(iter(person.self_care_assessments.all()), None)  # ordered newest first
    return {
        "co_resident": person.co_resident,
        "exclusion": person.exclusion,
        "birth_date": person.birth_date.isoformat(),
        "disability_category": person.disability_category,
        "disability_grade": person.disability_grade,
        "serious_illness": person.serious_illness,
        "employed": person.employed,
        "father_situation": person.father_situation or "normal",
        "mother_situation": person.mother_situation or "normal",
        "self_care_unable": latest.items_unable if latest else None,
        "incomes": [
            {"period": i.period, "amount_fen": yuan_to_fen(i.amount), "excluded": i.excluded}
            for i in person.incomes.all()
        ],
    }
