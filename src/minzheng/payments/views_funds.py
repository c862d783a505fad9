"""资金监管: the funds overview of the user's region, on screen and exported, and the payroll
summary issued from a released payroll."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.documents.views import issued
from minzheng.payments import forms, funds, summary

EXPORTS = {
    "csv": (funds.to_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        funds.to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@login_required
@permission_required("payments.view_funds", raise_exception=True)
def overview(request):
    form = forms.FundsForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "program": data["program"],
            "start": forms.month_of(data["start"]) if data["start"] else None,
            "end": forms.month_of(data["end"]) if data["end"] else None,
        }
    rows = funds.overview(request.user, **filters)
    fmt = request.GET.get("export", "")
    if fmt in EXPORTS:
        write, content_type = EXPORTS[fmt]
        response = HttpResponse(write(rows), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="funds.{fmt}"'
        return response
    query = request.GET.copy()
    query.pop("export", None)
    context = {
        "form": form,
        "rows": rows,
        "totals": funds.totals(rows),
        "query": query.urlencode(),
    }
    return render(request, "payments/funds.html", context)


@login_required
@permission_required("payments.view_funds", raise_exception=True)
@require_POST
def issue_payroll_summary(request, payroll_pk: int):
    today = timezone.localdate()
    document = issued(
        request, lambda: summary.issue_payroll_summary(request.user, payroll_pk, today)
    )
    if document is None:
        return redirect("payments:payroll", pk=payroll_pk)
    return redirect("documents:print", pk=document.pk)
