"""Decision snapshots: what the engine said about a household when a decision was made, kept so
the decision can be reproduced later.

A snapshot stores the facts evaluated and the whole explanation (each program's criteria,
eligibility and amount, each parameter with value, region, effective date and reference, and
the formula versions) with a SHA-256 digest over both. `reproduce` evaluates the stored facts
again with exactly the stored parameter values — not today's — and `verify` says whether the
result is still the same and the record untouched.
"""

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from minzheng.accounts.permissions import require_permission
from minzheng.audit.services import record
from minzheng.regions.scoping import scope_queryset
from minzheng.registry import selectors
from minzheng.rules.errors import Error
from minzheng.rules.evaluate import evaluate_one
from minzheng.rules.events import Event
from minzheng.rules.explain import explain
from minzheng.rules.facts import household_facts
from minzheng.rules.models import DecisionSnapshot
from minzheng.rules.parameters import Entry, Parameter
from minzheng.rules.screening import parameters


@dataclass(frozen=True)
class Verification:
    digest_ok: bool  # the stored record is as written
    same_result: bool  # evaluating the stored facts with the stored parameters gives it again
    differences: list[str]  # programs whose eligibility or amount differ

    @property
    def ok(self) -> bool:
        return self.digest_ok and self.same_result


def take(actor, household_id: int, as_of: date, purpose: str, reference: str = ""):
    """Evaluate a registry household (in the actor's region) and keep the result."""
    require_permission(actor, "rules.add_decisionsnapshot", Error.SNAPSHOT_NOT_PERMITTED)
    household = selectors.household_for(actor, household_id)
    facts = household_facts(household)
    explanation = explain(evaluate_one(facts, as_of, parameters()))
    snapshot = DecisionSnapshot.objects.create(
        household=household,
        region_id=household.region_id,
        as_of=as_of,
        purpose=purpose,
        reference=reference,
        facts=_plain(facts),
        explanation=explanation,
        digest=digest(_plain(facts), explanation),
        created_by=actor,
    )
    record(
        Event.SNAPSHOT_TAKEN,
        actor=actor,
        object_type="decision_snapshot",
        object_id=snapshot.pk,
        region_code=household.region_id,
        after={
            "household": household.number,
            "as_of": as_of,
            "purpose": purpose,
            "eligible": explanation["eligible"],
        },
    )
    return snapshot


def get(actor, snapshot_id: int) -> DecisionSnapshot:
    require_permission(actor, "rules.view_decisionsnapshot")
    found = scope_queryset(DecisionSnapshot.objects.all(), actor, region_field="region")
    try:
        return found.get(pk=snapshot_id)
    except DecisionSnapshot.DoesNotExist:
        raise Error.SNAPSHOT_NOT_FOUND.error() from None


def reproduce(snapshot: DecisionSnapshot) -> dict:
    """The explanation the stored facts give with the stored parameter values."""
    tree = stored_parameters(snapshot.explanation, parameters())
    as_of = date.fromisoformat(snapshot.explanation["as_of"])
    return explain(evaluate_one(snapshot.facts, as_of, tree))


def verify(snapshot: DecisionSnapshot) -> Verification:
    again = reproduce(snapshot)
    differences = [
        before["code"]
        for before, after in zip(snapshot.explanation["programs"], again["programs"], strict=False)
        if (before["eligible"], before["amount_fen"]) != (after["eligible"], after["amount_fen"])
    ]
    return Verification(
        digest_ok=digest(snapshot.facts, snapshot.explanation) == snapshot.digest,
        same_result=json.dumps(again, sort_keys=True)
        == json.dumps(snapshot.explanation, sort_keys=True),
        differences=differences,
    )


def stored_parameters(explanation: dict, current: dict[str, Parameter]) -> dict[str, Parameter]:
    """Each parameter the explanation used, as a tree holding only that value (with its
    original region, date and reference), for the household's region and area."""
    tree = dict(current)
    for program in explanation["programs"]:
        for used in program["parameters"]:
            parameter = current[used["name"]]
            area = explanation["area_type"] if parameter.by_area else None
            entry = Entry(
                used["region"],
                area,
                date.fromisoformat(used["effective_from"]),
                None,
                Decimal(used["value"]),
                used["reference"],
            )
            tree[used["name"]] = replace(parameter, entries=(entry,))
    return tree


def digest(facts: dict, explanation: dict) -> str:
    canonical = json.dumps(
        {"facts": facts, "explanation": explanation}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(facts: dict) -> dict:
    """JSON-ready facts (dates as ISO text), exactly as the JSON field will give them back."""
    return json.loads(json.dumps(facts, default=str))
