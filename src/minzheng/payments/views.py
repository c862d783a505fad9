"""Payroll screens: the list with the generate form, a payroll's page (its check report, the
findings to resolve, its lines, the bank batches and returns), a line's page. Thin: a form
parses, one service call decides inside the transaction, a DomainError lands on the form with
its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from minzheng.kit.forms import attempt, status_of
from minzheng.payments import banking, forms, generation, returns, selectors, services
from minzheng.payments.models import Flag, Line, OtherPayment, Payroll

VIEW = "payments.view_payroll"
PER_PAGE = 50
SHOWN_FLAGS = 100


def _default_month() -> dict:
    today = timezone.localdate()
    return {"month": f"{today:%Y-%m}"}


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def payrolls(request):
    may_prepare = request.user.has_perm("payments.prepare_payroll")
    if request.method == "POST" and not may_prepare:
        raise PermissionDenied
    form = forms.GenerateForm(
        request.POST or None,
        initial=_default_month(),
        counties=selectors.counties_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        month = forms.month_of(data["month"])
        payroll = attempt(
            form,
            lambda: generation.generate(request.user, data["county"], data["program"], month),
        )
        if payroll:
            messages.success(request, _("The payroll is generated."))
            return redirect("payments:payroll", pk=payroll.pk)
    page = Paginator(selectors.payrolls_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for payroll in page:
        payroll.program_label = selectors.program_label(payroll.program)
    context = {"page": page, "form": form if may_prepare else None, "extra_query": ""}
    status = status_of(form) if request.method == "POST" else 200
    return render(request, "payments/payrolls.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def payroll(request, pk: int):
    return _payroll_page(request, selectors.payroll_for(request.user, pk))


def _payroll_page(request, payroll: Payroll, *, forms_with_errors: dict | None = None, status=200):
    user = request.user
    filters = forms.FilterForm(request.GET or None)
    show = filters.cleaned_data["show"] if filters.is_valid() else ""
    lines = selectors.lines_for(user, payroll)
    if show == "flagged":
        lines = lines.filter(pk__in=Flag.objects.filter(line__payroll=payroll).values("line_id"))
    elif show == "held":
        lines = lines.filter(held=True)
    lines = lines.annotate(findings=Count("flags", distinct=True)).order_by("region_id", "id")
    page = Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))
    open_flags = list(selectors.flags_for(user, payroll, open_only=True)[:SHOWN_FLAGS])
    for flag in open_flags:
        flag.rows = selectors.detail_rows(flag)
        flag.form = (forms_with_errors or {}).get(flag.pk) or forms.ResolveForm(
            prefix=f"flag{flag.pk}", code=flag.code
        )
    wide = selectors.covers_county(user, payroll)
    bank = wide and payroll.status == Payroll.Status.RELEASED
    context = {
        "payroll": payroll,
        "program_label": selectors.program_label(payroll.program),
        "counts": selectors.flag_counts(user, payroll),
        "open_flags": open_flags,
        "may_resolve": user.has_perm("payments.resolve_flag")
        and payroll.status == Payroll.Status.DRAFT,
        "page": page,
        "filters": filters,
        "extra_query": f"show={show}&" if show else "",
        "actions": _actions(user, payroll) if wide else [],
        "reject_form": forms.RejectForm(initial={"version": payroll.version}),
        "returns_form": forms.ReturnsForm()
        if bank and user.has_perm("payments.import_returns")
        else None,
        "reconciliation": returns.reconciliation(payroll) if bank else None,
        "off_the_bank": returns.off_the_bank(payroll) if bank else None,
        "return_files": payroll.return_files.all() if bank else [],
        "may_download": bank and user.has_perm("payments.export_bankfile"),
    }
    return render(request, "payments/payroll.html", context, status=status)


def _actions(user, payroll: Payroll) -> list[dict]:
    """The buttons this user may press on this payroll now."""
    found = []
    draft, submitted = Payroll.Status.DRAFT, Payroll.Status.SUBMITTED
    if payroll.status == draft and user.has_perm("payments.prepare_payroll"):
        found += [("generate", _("Regenerate")), ("submit", _("Submit for approval"))]
    if payroll.status == submitted and user.has_perm("payments.approve_payroll"):
        found += [("approve", _("Approve and release"))]
    if payroll.status == Payroll.Status.RELEASED and user.has_perm("payments.export_bankfile"):
        found += [("batch", _("Create the bank batch"))]
    return [{"action": a, "label": label} for a, label in found]


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def act(request, pk: int, action: str):
    payroll = selectors.payroll_for(request.user, pk)
    form = forms.RejectForm(request.POST) if action == "reject" else forms.VersionForm(request.POST)
    if action not in CALLS:
        raise Http404
    if form.is_valid():
        done = attempt(form, lambda: CALLS[action](request.user, payroll, form.cleaned_data))
        if done:
            messages.success(request, str(DONE[action]))
            if action == "batch":
                _warn_left_out(request, payroll)
            return redirect("payments:payroll", pk=pk)
    for error in form.errors.values():
        for message in error:
            messages.error(request, message)
    return _payroll_page(request, selectors.payroll_for(request.user, pk), status=status_of(form))


CALLS = {
    "generate": lambda user, p, data: generation.generate(user, p.county_id, p.program, p.period),
    "submit": lambda user, p, data: services.submit(user, p.pk, data["version"]),
    "approve": lambda user, p, data: services.approve(user, p.pk, data["version"]),
    "reject": lambda user, p, data: services.reject(user, p.pk, data["version"], data["reason"]),
    "batch": lambda user, p, data: banking.create_batch(user, p.pk),
}
DONE = {
    "generate": gettext_lazy("The payroll is generated again."),
    "submit": gettext_lazy("The payroll is submitted for approval."),
    "approve": gettext_lazy("The payroll is approved and released; it is now locked."),
    "reject": gettext_lazy("The payroll is sent back to its maker."),
    "batch": gettext_lazy("The bank batch is created: download its file for the bank."),
}


def _warn_left_out(request, payroll: Payroll) -> None:
    left_out = selectors.unbankable(selectors.for_the_bank(payroll)).count()
    if left_out:
        messages.warning(
            request,
            ngettext(
                "%(n)d payment was not sent: its payee has no bank account or bank name.",
                "%(n)d payments were not sent: their payees have no bank account or bank name.",
                left_out,
            )
            % {"n": left_out},
        )


@login_required
@permission_required("payments.resolve_flag", raise_exception=True)
@require_POST
def resolve(request, pk: int):
    flag = selectors.flag_for(request.user, pk)
    form = forms.ResolveForm(request.POST, prefix=f"flag{flag.pk}", code=flag.code)
    if form.is_valid():
        data = form.cleaned_data
        if attempt(
            form, lambda: services.resolve_flag(request.user, pk, data["resolution"], data["note"])
        ):
            messages.success(request, _("The finding is resolved."))
            return redirect("payments:payroll", pk=flag.line.payroll_id)
    payroll = selectors.payroll_for(request.user, flag.line.payroll_id)
    return _payroll_page(
        request, payroll, forms_with_errors={flag.pk: form}, status=status_of(form)
    )


@login_required
@permission_required("payments.export_bankfile", raise_exception=True)
def download(request, pk: int, sequence: int, fmt: str):
    with transaction.atomic():  # the download is audited
        file = banking.download(request.user, pk, sequence, fmt)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required("payments.import_returns", raise_exception=True)
@require_POST
def import_returns(request, pk: int):
    form = forms.ReturnsForm(request.POST, request.FILES)
    if form.is_valid():
        received = attempt(form, lambda: returns.receive(request.user, pk, **form.for_service()))
        if received:
            file, created = received
            if created:
                messages.success(request, _("The bank's returns are imported."))
            else:
                messages.info(request, _("This file was imported before; nothing changed."))
            return redirect("payments:return_file", pk=file.pk)
    for error in form.errors.values():
        for message in error:
            messages.error(request, message)
    return _payroll_page(request, selectors.payroll_for(request.user, pk), status=status_of(form))


@login_required
@permission_required("payments.import_returns", raise_exception=True)
def return_file(request, pk: int):
    file = selectors.return_file_for(request.user, pk)
    return render(request, "payments/return_file.html", {"file": file, "payroll": file.payroll})


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def line(request, pk: int):
    found = selectors.line_for(request.user, pk)
    form = forms.VersionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("payments.prepare_payroll"):
            raise PermissionDenied
        if form.is_valid() and attempt(
            form, lambda: banking.reissue(request.user, pk, form.cleaned_data["version"])
        ):
            messages.success(request, _("The payment will go in the next bank batch."))
            return redirect("payments:line", pk=pk)
        for error in form.errors.values():
            for message in error:
                messages.error(request, message)
    return _line_page(request, found, status=status_of(form) if request.method == "POST" else 200)


def _line_page(request, found: Line, *, other_form=None, status=200):
    flags = list(found.flags.select_related("resolved_by").order_by("code"))
    for flag in flags:
        flag.rows = selectors.detail_rows(flag)
    may_prepare = request.user.has_perm("payments.prepare_payroll")
    to_pay_otherwise = (
        found.channel != Line.Channel.BANK
        and found.status == Line.Status.DUE
        and not found.held
        and found.amount_fen > 0
        and found.payroll.status == Payroll.Status.RELEASED
    )
    context = {
        "line": found,
        "flags": flags,
        "payments": found.disbursements.select_related("batch").order_by("attempt"),
        "other_payment": OtherPayment.objects.filter(line=found)
        .select_related("recorded_by")
        .first(),
        "program_label": selectors.program_label(found.program),
        "may_reissue": may_prepare and found.status == found.Status.RETURNED,
        "other_form": (
            other_form
            or forms.OtherPaymentForm(
                initial={"version": found.version, "paid_on": timezone.localdate()}
            )
        )
        if may_prepare and to_pay_otherwise
        else None,
    }
    return render(request, "payments/line.html", context, status=status)


@login_required
@permission_required("payments.prepare_payroll", raise_exception=True)
@require_POST
def record_other_payment(request, pk: int):
    """The receipt of a line paid in cash (or the reference of another channel)."""
    found = selectors.line_for(request.user, pk)
    form = forms.OtherPaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if attempt(
            form,
            lambda: services.record_other_payment(
                request.user, pk, data["version"], data["receipt"], data["paid_on"]
            ),
        ):
            messages.success(request, _("The payment and its receipt are recorded."))
            return redirect("payments:line", pk=pk)
    return _line_page(request, found, other_form=form, status=status_of(form))
