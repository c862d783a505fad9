from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from minzheng.registry.selectors import registry_counts


@login_required
def home(request):
    counts = None
    if request.user.has_perm("registry.view_household"):
        counts = registry_counts(request.user, timezone.localdate())
    return render(request, "web/home.html", {"counts": counts})
