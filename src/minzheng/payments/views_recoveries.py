"""追回: the recoveries of the user's region, one recovery with its repayments, and the form
that registers a recovery for a person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minzheng.kit.forms import attempt, status_of
from minzheng.kit.money import yuan_to_fen
from minzheng.payments import forms, recoveries, selectors
from minzheng.registry import selectors as registry

PER_PAGE = 50


@login_required
@permission_required("payments.view_recovery", raise_exception=True)
def recovery_list(request):
    found = recoveries.recoveries_for(request.user)
    person = request.GET.get("person", "")
    if person.isdigit():
        found = found.filter(person_id=int(person))
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    for item in page:
        item.program_label = selectors.program_label(item.program) if item.program else "—"
    extra = f"person={person}&" if person.isdigit() else ""
    return render(request, "payments/recoveries.html", {"page": page, "extra_query": extra})


@login_required
@permission_required("payments.manage_recovery", raise_exception=True)
@require_http_methods(["GET", "POST"])
def register(request, person_id: int):
    person = registry.person_for(request.user, person_id)
    form = forms.RecoveryForm(request.POST or None, initial={"person_id": person.pk})
    if request.method == "POST" and form.is_valid():
        created = attempt(form, lambda: recoveries.register(request.user, **form.for_service()))
        if created:
            messages.success(request, _("The recovery is registered."))
            return redirect("payments:recovery", pk=created.pk)
    status = status_of(form) if request.method == "POST" else 200
    context = {"form": form, "person": person}
    return render(request, "payments/recovery_form.html", context, status=status)


@login_required
@permission_required("payments.view_recovery", raise_exception=True)
def recovery(request, pk: int, *, repay_form=None, waive_form=None, status=200):
    found = recoveries.recovery_for(request.user, pk)
    context = {
        "recovery": found,
        "program_label": selectors.program_label(found.program) if found.program else "—",
        "repayments": found.repayments.select_related("recorded_by"),
        "repay_form": repay_form or forms.RepaymentForm(initial={"version": found.version}),
        "waive_form": waive_form or forms.WaiveForm(initial={"version": found.version}),
    }
    return render(request, "payments/recovery.html", context, status=status)


@login_required
@permission_required("payments.manage_recovery", raise_exception=True)
@require_POST
def repay(request, pk: int):
    form = forms.RepaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: recoveries.repay(
                request.user,
                pk,
                data["version"],
                yuan_to_fen(data["amount"]),
                data["method"],
                data["received_on"],
            ),
        )
        if done:
            messages.success(request, _("The repayment is recorded."))
            return redirect("payments:recovery", pk=pk)
    return recovery(request, pk, repay_form=form, status=status_of(form))


@login_required
@permission_required("payments.approve_payroll", raise_exception=True)
@require_POST
def waive(request, pk: int):
    form = forms.WaiveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if attempt(
            form, lambda: recoveries.waive(request.user, pk, data["version"], data["reason"])
        ):
            messages.success(request, _("The rest is written off."))
            return redirect("payments:recovery", pk=pk)
    return recovery(request, pk, waive_form=form, status=status_of(form))
