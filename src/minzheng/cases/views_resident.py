"""The resident's own page (我的申请): the household's cases, an online application, and the
resident's own 核对 authorisation. Thin: one service call per action, errors on the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minzheng.cases import online, resident
from minzheng.cases.errors import Error
from minzheng.cases.forms import ApplyForm
from minzheng.cases.notices import decision_of
from minzheng.kit.errors import DomainError, NotFound
from minzheng.registry.selectors import living_members


@login_required
@permission_required("cases.apply_online", raise_exception=True)
@require_http_methods(["GET", "POST"])
def home(request):
    try:
        household = online.own_household(request.user)
    except NotFound as exc:
        return render(request, "cases/resident.html", {"unlinked": exc.message})
    members = list(living_members(household))
    form = ApplyForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                case = online.apply_online(
                    request.user, data["program"], timezone.localdate(), person_id=data["person"]
                )
            messages.success(request, f"申请已提交，案件编号 {case.number}。")
            return redirect("me:home")
        except DomainError as exc:
            form.add_error(form.field_for(exc.field), exc.message)
    cases = [
        {"case": case, "consent_missing": online.my_consent_missing(request.user, case)}
        for case in online.my_cases(request.user)
    ]
    status = 422 if form.errors else 200
    context = {"household": household, "form": form, "cases": cases}
    return render(request, "cases/resident.html", context, status=status)


@login_required
@permission_required("cases.apply_online", raise_exception=True)
@require_POST
def consent(request, pk: int):
    with transaction.atomic():
        online.consent_online(request.user, pk, timezone.localdate())
    messages.success(request, "已签署核对授权。")
    if request.POST.get("back") == "case":
        return redirect("me:case", pk=pk)
    return redirect("me:home")


@login_required
@permission_required("cases.apply_online", raise_exception=True)
@require_GET
def case(request, pk: int):
    """One application of the resident's own household: the decision with its reasons or
    amount, the notice, and the steps as a progress line."""
    own = resident.own_case(request.user, pk)
    context = {
        "case": own,
        "decision": resident.decision(own),
        "stages": resident.progress(own),
        "consent_missing": online.my_consent_missing(request.user, own),
    }
    return render(request, "cases/resident_case.html", context)


@login_required
@permission_required("cases.apply_online", raise_exception=True)
@require_GET
def notice(request, pk: int):
    """The decision notice of the resident's own case, printed from the same document template
    as the staff's (cases/documents/decision.html), with a way back to his own page."""
    own = resident.own_case(request.user, pk)
    if resident.decision(own) is None:
        raise Error.RESIDENT_CASE_NOT_FOUND.error()
    context = {"case": own, **decision_of(own)}
    return render(request, "cases/resident_notice.html", context)
