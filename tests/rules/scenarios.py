"""Reading the policy officers' scenarios (policies/scenarios/*.yaml) into engine facts.

A scenario (amounts in yuan, per month unless named annual):

    - name: 永州城市三口之家，月收入1200元，差额900元
      date: 2024-03-01
      region: "431102001001"
      area: urban
      parameters: {dibao.standard: 632}        # optional what-if values, everywhere
      household: {dibao_recipient: true, medical_expense: 2400, rigid_expense: 30000,
                  emergency: expense, emergency_cost: 5000,
                  assets: [{kind: deposit, value: 20000}]}       # optional
      members:
        - {age: 65, income: 300, annual_income: 1200, excluded_income: 500,
           disability: physical-1, ill: true, employed: true, self_care_unable: 4,
           support: centralised, father: dead, mother: missing, supporter: able,
           co_resident: false, exclusion: imprisoned, birth_date: 1944-03-02,
           long_term_care: false, work_injury_care: true}
      expect:
        eligible: [dibao, elderly]        # exactly the programs that apply (optional)
        dibao: true                       # a household program: applies or not
        dibao_amount: 900                 # its amount (household) / members' total (person)
        tekun: [1]                        # a person program: which members (1 = first)
        columns: {dibao_taper_months_due: 6}          # other household results
        member_columns: {1: {tekun_care_band: full}}  # other results of one member
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from minzheng.rules.parameters import Entry, Parameter

SCENARIOS = Path(__file__).resolve().parents[2] / "src/minzheng/policies/scenarios"
MEMBER_KEYS = {
    "co_resident",
    "exclusion",
    "age",
    "birth_date",
    "income",
    "annual_income",
    "excluded_income",
    "disability",
    "ill",
    "employed",
    "self_care_unable",
    "support",
    "father",
    "mother",
    "supporter",
    "long_term_care",
    "work_injury_care",
}


def load() -> list[dict]:
    found = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for scenario in yaml.safe_load(path.read_text(encoding="utf-8")):
            found.append(scenario | {"file": path.name})
    return found


def fen(yuan) -> int:
    return int(Decimal(str(yuan)) * 100)


def facts(scenario: dict) -> dict:
    day = scenario["date"]
    extra = scenario.get("household", {})
    members, supporters = [], []
    for index, member in enumerate(scenario["members"]):
        unknown = set(member) - MEMBER_KEYS
        if unknown:
            raise ValueError(f"{scenario['name']}: unknown member keys {sorted(unknown)}")
        members.append(_member(member, day))
        if "supporter" in member:
            supporters.append({"member": index, "condition": member["supporter"]})
    return {
        "region_code": scenario["region"],
        "area_type": scenario["area"],
        "members": members,
        "supporters": supporters,
        "assets": [
            {"kind": a["kind"], "value_fen": fen(a.get("value", 0))}
            for a in extra.get("assets", [])
        ],
        "dibao_recipient": extra.get("dibao_recipient", False),
        "medical_expense_fen": fen(extra.get("medical_expense", 0)),
        "rigid_expense_fen": fen(extra.get("rigid_expense", 0)),
        "emergency_type": extra.get("emergency", ""),
        "emergency_cost_fen": fen(extra.get("emergency_cost", 0)),
    }


def _member(member: dict, day: date) -> dict:
    category, grade = "", None
    if "disability" in member:
        category, grade_text = member["disability"].split("-")
        grade = int(grade_text)
    return {
        "co_resident": member.get("co_resident", True),
        "exclusion": member.get("exclusion", ""),
        "birth_date": _birth_date(member, day),
        "disability_category": category,
        "disability_grade": grade,
        "serious_illness": member.get("ill", False),
        "employed": member.get("employed", False),
        "self_care_unable": member.get("self_care_unable"),
        "support_mode": member.get("support", "dispersed"),
        "father_situation": member.get("father", "normal"),
        "mother_situation": member.get("mother", "normal"),
        "long_term_care": member.get("long_term_care", True),
        "work_injury_care": member.get("work_injury_care", False),
        "incomes": _incomes(member),
    }


def _birth_date(member: dict, day: date) -> date | None:
    if "birth_date" in member:
        return member["birth_date"]
    if "age" not in member:
        return None
    year = day.year - int(member["age"])
    return (
        day.replace(year=year, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=year)
    )


def _incomes(member: dict) -> list[dict]:
    incomes = []
    for key, period, excluded in (
        ("income", "monthly", False),
        ("annual_income", "annual", False),
        ("excluded_income", "monthly", True),
    ):
        if key in member:
            incomes.append({"period": period, "amount_fen": fen(member[key]), "excluded": excluded})
    return incomes


def with_overrides(tree: dict[str, Parameter], overrides: dict) -> dict[str, Parameter]:
    """What-if values replacing the shipped ones everywhere (one national entry per area)."""
    tree = dict(tree)
    for name, value in overrides.items():
        parameter = tree[name]
        areas = ("urban", "rural") if parameter.by_area else (None,)
        entries = tuple(
            Entry("", area, date(1900, 1, 1), None, Decimal(str(value)), "what-if")
            for area in areas
        )
        tree[name] = replace(parameter, entries=entries)
    return tree
