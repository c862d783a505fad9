from datetime import date

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from minzheng.rules.parameters import ParameterNotFound
from minzheng.rules.screening import screen_household


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_screening(request, pk: int):
    """The "可享受政策" panel of the household page (loaded into it by htmx)."""
    as_of = _date(request.GET.get("as_of")) or timezone.localdate()
    try:
        result = screen_household(request.user, pk, as_of)
    except ParameterNotFound as exc:
        return render(request, "rules/_screening.html", {"missing": str(exc), "as_of": as_of})
    return render(request, "rules/_screening.html", {"r": result, "as_of": as_of})


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
