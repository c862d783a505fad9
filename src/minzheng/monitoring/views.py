"""Monitoring screens shared helpers, 政策找人 and 核对. Thin: a form parses, one service call
decides inside the transaction, a DomainError lands on the form with its status. The warning
screens are in views_warnings.py, the department files in views_feeds.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minzheng.kit.errors import DomainError
from minzheng.kit.forms import attempt, status_of
from minzheng.monitoring import checks, forms, outreach, selectors
from minzheng.registry import selectors as registry

PER_PAGE = 50


def query_without_page(request) -> str:
    """The list's filters for the pager links ("a=1&b=2&", or empty)."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


# ---- 政策找人 ---------------------------------------------------------------------------------


@login_required
@permission_required("monitoring.view_outreachtask", raise_exception=True)
def outreach_list(request):
    form = forms.OutreachFilterForm(request.GET or None)
    tasks = selectors.outreach_for(request.user, status=form.status_filter())
    page = Paginator(tasks, PER_PAGE).get_page(request.GET.get("page"))
    for task in page:
        task.program_label = selectors.program_label(task.program)
    context = {
        "form": form,
        "page": page,
        "extra_query": query_without_page(request),
    }
    return render(request, "monitoring/outreach_list.html", context)


@login_required
@permission_required("monitoring.view_outreachtask", raise_exception=True)
@require_http_methods(["GET", "POST"])
def outreach_task(request, pk: int):
    task = selectors.outreach_task_for(request.user, pk)
    form = forms.FinishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form, lambda: outreach.finish(request.user, pk, data["outcome"], data["note"])
        )
        if done:
            messages.success(request, _("The visit's outcome is recorded."))
            return redirect("monitoring:outreach_task", pk=pk)
    status = status_of(form) if request.method == "POST" else 200
    context = {"task": task, "form": form, "program_label": selectors.program_label(task.program)}
    return render(request, "monitoring/outreach_task.html", context, status=status)


# ---- 核对 -------------------------------------------------------------------------------------


@login_required
@permission_required("monitoring.request_check", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    """The household's 核对 reports, and the button that requests a new one. The service owns
    its transaction here: a refusal is audited and committed before CONSENT_MISSING is raised."""
    household = registry.household_for(request.user, pk)
    if request.method == "POST":
        try:
            report = checks.request_check(request.user, household.pk, timezone.localdate())
        except DomainError as exc:
            context = {"household": household, "error": exc.message}
            context["reports"] = selectors.check_reports_of(household)
            return render(request, "monitoring/check.html", context, status=exc.status)
        messages.success(request, _("The check report is ready."))
        return redirect("monitoring:check_report", pk=report.pk)
    context = {"household": household, "reports": selectors.check_reports_of(household)}
    return render(request, "monitoring/check.html", context)


@login_required
@permission_required("monitoring.request_check", raise_exception=True)
def check_report(request, pk: int):
    report = selectors.check_report_for(request.user, pk)
    context = {
        "report": report,
        "categories": sorted(report.report.items()),
        "discrepancies": report.discrepancies,
    }
    return render(request, "monitoring/check_report.html", context)
