"""近亲属备案: a staff member's own declarations with the form to add one, and the register of
the region for those who review it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minzheng.kit.forms import attempt, status_of
from minzheng.payments import forms, relatives


@login_required
@permission_required("payments.declare_relative", raise_exception=True)
@require_http_methods(["GET", "POST"])
def declarations(request):
    form = forms.DeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, today = form.cleaned_data, timezone.localdate()
        if attempt(form, lambda: relatives.declare(request.user, today=today, **data)):
            messages.success(request, _("The declaration is recorded."))
            return redirect("payments:relatives")
    context = {
        "form": form,
        "declarations": relatives.mine(request.user),
        "register": relatives.register_for(request.user),
    }
    status = status_of(form) if request.method == "POST" else 200
    return render(request, "payments/relatives.html", context, status=status)


@login_required
@permission_required("payments.declare_relative", raise_exception=True)
@require_POST
def withdraw(request, pk: int):
    with transaction.atomic():
        relatives.withdraw(request.user, pk, timezone.localdate())
    messages.success(request, _("The declaration is withdrawn."))
    return redirect("payments:relatives")
