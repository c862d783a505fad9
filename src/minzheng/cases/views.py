"""Case screens for staff: the work queue, the application form, the case page with one form
per step the user may take, consents, and the household's cases panel. Thin: a form parses,
one service call decides inside the transaction, a DomainError lands on the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from minzheng.cases import attachments, display, forms, selectors, services
from minzheng.cases.models import Status
from minzheng.cases.views_attachments import AttachmentForm
from minzheng.cases.workflow import PROCEDURE, STEPS, steps_for
from minzheng.kit.forms import attempt, status_of
from minzheng.procedures.attachments import kind_label
from minzheng.registry import selectors as registry


@login_required
@permission_required("cases.view_case", raise_exception=True)
def queue(request):
    today = timezone.localdate()
    context = {
        "queues": selectors.work_queues(request.user, today),
        "overdue": selectors.with_periods(selectors.overdue(request.user, today)),
    }
    return render(request, "cases/queue.html", context)


@login_required
@permission_required("cases.add_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def apply(request):
    try:
        household_id = int(request.GET.get("household", ""))
    except ValueError:
        raise Http404 from None
    household = registry.household_for(request.user, household_id)
    form = forms.ApplyForm(request.POST or None, members=registry.members_of(household))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = attempt(
            form,
            lambda: services.apply(
                request.user,
                household.pk,
                data["program"],
                timezone.localdate(),
                person_id=data["person"],
            ),
        )
        if case:
            messages.success(request, f"已登记申请 {case.number}。")
            return redirect("cases:detail", pk=case.pk)
    status = status_of(form) if request.method == "POST" else 200
    context = {"household": household, "form": form}
    return render(request, "cases/apply.html", context, status=status)


@login_required
@permission_required("cases.view_case", raise_exception=True)
def detail(request, pk: int):
    return _detail(request, services.case_for(request.user, pk))


@login_required
@permission_required("cases.view_case", raise_exception=True)
@require_POST
def take_step(request, pk: int, action: str):
    if action not in forms.STEP_FORMS:
        raise Http404
    case = services.case_for(request.user, pk)
    today = timezone.localdate()
    form = forms.step_form(action, case, today, request.POST)
    if form.is_valid():
        version = form.cleaned_data["version"]
        done = attempt(
            form,
            lambda: services.perform(
                request.user, pk, action, version, today, **form.for_service()
            ),
        )
        if done:
            messages.success(request, f"已完成“{STEPS[action].label}”。")
            return redirect("cases:detail", pk=pk)
    return _detail(request, case, posted=form, action=action, status=status_of(form))


@login_required
@permission_required("cases.view_case", raise_exception=True)
@require_POST
def record_consent(request, pk: int):
    case = services.case_for(request.user, pk)
    form = _consent_form(case, request.POST)
    if form.is_valid():
        today = timezone.localdate()
        if attempt(
            form,
            lambda: services.record_consent(request.user, pk, today, **form.for_service()),
        ):
            messages.success(request, "已登记核对授权。")
            return redirect("cases:detail", pk=pk)
    return _detail(request, case, posted=form, action="consent", status=status_of(form))


@login_required
@permission_required("cases.view_case", raise_exception=True)
def household_cases(request, pk: int):
    """The "救助案件" panel of the household page (loaded into it by htmx)."""
    household = registry.household_for(request.user, pk)
    cases = services.cases_for(request.user).filter(household=household).select_related("person")
    context = {"household": household, "cases": cases.order_by("-submitted_on", "-pk")}
    return render(request, "cases/_household_cases.html", context)


def _consent_form(case, data=None) -> forms.ConsentForm:
    members, supporters = services.consents_missing_from(case)
    return forms.ConsentForm(data, members=members, supporters=supporters)


def _step_forms(request, case, today, posted, action):
    """One form per step the user may take now; the posted one keeps its input and errors."""
    shown = []
    for the_step in steps_for(request.user, case):
        if the_step.action == action:
            form = posted
        else:
            form = forms.step_form(the_step.action, case, today)
        if form.available:
            shown.append((the_step, form))
    return shown


def _consent(request, case, posted, action):
    """The consent form while someone has yet to authorise the check, if the user may record."""
    if not request.user.has_perm("cases.investigate_case") or case.status in (
        Status.REJECTED,
        Status.ENDED,
    ):
        return None
    form = posted if action == "consent" else _consent_form(case)
    return form if form.fields["who"].choices else None


def _detail(request, case, *, posted=None, action=None, status=200):
    today = timezone.localdate()
    steps = _step_forms(request, case, today, posted, action)
    consent_form = _consent(request, case, posted, action)
    shown = [form for _step, form in steps] + [consent_form]
    context = {
        "case": case,
        "steps": steps,
        "refused": _refused(posted, shown),
        "consents": case.consents.select_related("person", "supporter").order_by("id"),
        "missing": services.missing_consents(case),
        "consent_form": consent_form,
        "evaluation": display.evaluation(case),
        "investigations": case.investigations.order_by("visited_on", "id"),
        "objections": case.objections.order_by("raised_on", "id"),
        "reviews": case.reviews.order_by("reviewed_on", "id"),
        "timeline": display.timeline_rows(selectors.case_timeline(case)),
        "decided": display.is_decided(case),
        "attachments": [
            (a, kind_label(PROCEDURE, a.kind)) for a in attachments.attachments_of(case)
        ],
        "attachment_form": AttachmentForm(),
        **display.deadlines(case, today),
    }
    return render(request, "cases/detail.html", context, status=status)


def _refused(posted, shown) -> list[str]:
    """The errors of a posted form the page does not offer (a refused role, a moved case)."""
    if posted is None or any(form is posted for form in shown):
        return []
    return [error for errors in posted.errors.values() for error in errors]
