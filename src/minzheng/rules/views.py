from datetime import date

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from minzheng.registry import selectors
from minzheng.rules.facts import household_facts
from minzheng.rules.parameters import ParameterNotFound
from minzheng.rules.screening import screen_facts


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_screening(request, pk: int):
    """The "可享受政策" panel of the household page (loaded into it by htmx)."""
    as_of = _date(request.GET.get("as_of")) or timezone.localdate()
    household = selectors.household_for(request.user, pk)
    try:
        result = screen_facts(household_facts(household), as_of)
    except ParameterNotFound as exc:
        return render(request, "rules/_screening.html", {"missing": str(exc), "as_of": as_of})
    names = list(selectors.living_members(household).values_list("name", flat=True))
    for program in result["programs"]:
        for member in program.get("members", []):
            member["name"] = names[member["member"]]
    return render(request, "rules/_screening.html", {"r": result, "as_of": as_of})


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
