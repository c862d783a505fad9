"""The warning screens: the inbox of the user's region with its filters and figures, and the
warning page with the forms the user may use now (assign, record the visit, close)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minzheng.kit.forms import attempt, status_of
from minzheng.monitoring import forms, selectors, services
from minzheng.monitoring.indicators import BY_CODE
from minzheng.monitoring.models import Warning
from minzheng.monitoring.views import PER_PAGE, query_without_page

# action → (label, permission, statuses it may leave)
ACTIONS = {
    "assign": (
        gettext_lazy("Assign"),
        "monitoring.assign_warning",
        (Warning.OPEN, Warning.ASSIGNED),
    ),
    "visit": (
        gettext_lazy("Record the visit"),
        "monitoring.handle_warning",
        (Warning.OPEN, Warning.ASSIGNED),
    ),
    "close": (gettext_lazy("Close the warning"), "monitoring.handle_warning", (Warning.VERIFIED,)),
}


@login_required
@permission_required("monitoring.view_warning", raise_exception=True)
def inbox(request):
    today = timezone.localdate()
    form = forms.WarningFilterForm(request.GET or None)
    filters = form.filters()
    warnings = selectors.warnings_for(request.user, today=today, **filters)
    page = Paginator(warnings, PER_PAGE).get_page(request.GET.get("page"))
    for warning in page:
        warning.indicator_label = services.label_of(warning.indicator)
    context = {
        "form": form,
        "kpis": selectors.kpis(request.user, period=filters["period"], today=today),
        "page": page,
        "extra_query": query_without_page(request),
        "today": today,
    }
    return render(request, "monitoring/warning_inbox.html", context)


@login_required
@permission_required("monitoring.view_warning", raise_exception=True)
def detail(request, pk: int):
    return _detail(request, services.warning_for(request.user, pk))


@login_required
@permission_required("monitoring.view_warning", raise_exception=True)
@require_POST
def act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    warning = services.warning_for(request.user, pk)
    today = timezone.localdate()
    form = _form(action, warning, today, request.POST)
    if form.is_valid():
        version = form.cleaned_data["version"]
        data = form.for_service()
        done = attempt(form, lambda: _call(action, request.user, pk, version, data, today))
        if done:
            messages.success(request, _("Done: %(action)s.") % {"action": ACTIONS[action][0]})
            return redirect("monitoring:warning", pk=pk)
    return _detail(request, warning, posted=form, action=action, status=status_of(form))


def _call(action: str, user, pk: int, version: int, data: dict, today):
    if action == "assign":
        return services.assign(user, pk, version, data["region_code"])
    if action == "visit":
        return services.record_visit(user, pk, version, data["visited_on"], data["note"], today)
    return services.close(user, pk, version, data["outcome"], data["reason"])


def _form(action: str, warning: Warning, today, data=None) -> forms.WarningForm:
    initial = {"version": warning.version, "visited_on": today}
    extra = {}
    if action == "assign":
        extra["regions"] = selectors.assign_choices(warning)
        initial["region"] = warning.assigned_to_id or warning.region_id
    if action == "close":
        extra["warning"] = warning
    return forms.WARNING_FORMS[action](data, initial=initial, prefix=action, **extra)


def _forms(request, warning: Warning, today, posted, action) -> list[tuple[str, str, object]]:
    """(action, label, form) for each form the user may use on the warning now."""
    shown = []
    for name, (label, permission, sources) in ACTIONS.items():
        if warning.status in sources and request.user.has_perm(permission):
            form = posted if name == action else _form(name, warning, today)
            shown.append((name, label, form))
    return shown


def _detail(request, warning: Warning, *, posted=None, action=None, status=200):
    today = timezone.localdate()
    shown = _forms(request, warning, today, posted, action)
    refused = []
    if posted is not None and not any(form is posted for _name, _label, form in shown):
        refused = [error for errors in posted.errors.values() for error in errors]
    context = {
        "warning": warning,
        "indicator": BY_CODE.get(warning.indicator),
        "facts": selectors.detail_rows(warning, request.user),
        "forms": shown,
        "refused": refused,
        "overdue": warning.status != Warning.CLOSED and warning.due_on < today,
    }
    return render(request, "monitoring/warning_detail.html", context, status=status)
