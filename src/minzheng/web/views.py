from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from minzheng.registry.selectors import persons_by_subregion, registry_counts


@login_required
def home(request):
    if request.user.has_perm("cases.apply_online"):  # a resident: his own page, nothing else
        return redirect("me:home")
    if not request.user.has_perm("registry.view_household") and request.user.has_perm(
        "dashboards.view_dashboard"
    ):  # a leader reads figures, not the registry
        return redirect("dashboards:dashboard")
    context = {"counts": None, "chart": None}
    if request.user.has_perm("registry.view_household"):
        context["counts"] = registry_counts(request.user, timezone.localdate())
        rows = persons_by_subregion(request.user)
        if rows:
            context["chart"] = {"labels": [n for n, _ in rows], "values": [c for _, c in rows]}
    return render(request, "web/home.html", context)
