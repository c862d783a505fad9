"""Documents: the printable decision notice (for staff to hand to the family) and the village's
public notice (公示), which anyone may read without signing in and which shows only what the
law allows: masked name, household size, program, proposed amount, end date."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from minzheng.cases import display, selectors, services
from minzheng.cases.notices import decision_of
from minzheng.regions.models import Region


@login_required
@permission_required("cases.view_case", raise_exception=True)
@require_GET
def notice(request, pk: int):
    """批准 / 不予批准通知书, as issued with the decision (cases/notices.py)."""
    case = services.case_for(request.user, pk)
    if not display.is_decided(case):
        raise Http404
    context = {"case": case, **decision_of(case)}
    return render(request, "cases/documents/decision.html", context)


@require_GET
def public_notice(request, village_code: str):
    village = Region.objects.filter(code=village_code, level=Region.Level.VILLAGE).first()
    if village is None:
        raise Http404
    context = {
        "village": village,
        "township": village.parent,
        "rows": selectors.public_notice(village_code, timezone.localdate()),
    }
    response = render(request, "cases/public_notice.html", context)
    response["X-Robots-Tag"] = "noindex"  # a notice for the villagers, not for search engines
    return response
