"""The documents screens: the register of the region's issued documents (with the form that
issues a village's 公示 list), printing one, and issuing a case's 核对 authorisation form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from minzheng.cases.models import Case, Status
from minzheng.documents import payroll_summary, selectors, services
from minzheng.documents.kinds import KINDS
from minzheng.kit.errors import DomainError
from minzheng.regions.models import Region
from minzheng.regions.scoping import scope_queryset

VIEW = "documents.view_document"


class PublicityForm(forms.Form):
    village = forms.ChoiceField(label=_("Village / community"))


def _villages_under_notice(user, today) -> list[tuple[str, str]]:
    codes = (
        scope_queryset(Case.objects.all(), user)
        .filter(status=Status.PUBLICISED, publicity_ends_on__gte=today)
        .values_list("region_id", flat=True)
        .distinct()
    )
    villages = Region.objects.filter(code__in=list(codes)).select_related("parent")
    return [(v.code, f"{v.parent.name}{v.name}") for v in villages.order_by("code")]


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def register(request):
    today = timezone.localdate()
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else None
    form = None
    if request.user.has_perm("cases.publicise_case"):
        form = PublicityForm()
        form.fields["village"].choices = _villages_under_notice(request.user, today)
    context = {
        "documents": selectors.documents_for(request.user, kind=kind)[:200],
        "kinds": list(KINDS.values()),
        "kind": kind,
        "publicity_form": form,
    }
    return render(request, "documents/register.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def print_document(request, pk: int):
    document = selectors.document_for(request.user, pk)
    context = selectors.printable(document)
    return render(request, context["kind"].template, context)


def _issued(request, call):
    try:
        with transaction.atomic():
            document = call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, f"已出具{document.title} {document.number}。")
    return document


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def issue_publicity(request):
    today = timezone.localdate()
    village = request.POST.get("village", "")
    document = _issued(request, lambda: services.issue_publicity(request.user, village, today))
    if document is None:
        return redirect("documents:register")
    return redirect("documents:print", pk=document.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def issue_consent_form(request, case_pk: int):
    today = timezone.localdate()
    document = _issued(request, lambda: services.issue_consent_form(request.user, case_pk, today))
    if document is None:
        return redirect("cases:detail", pk=case_pk)
    return redirect("documents:print", pk=document.pk)


@login_required
@permission_required("payments.view_funds", raise_exception=True)
@require_POST
def issue_payroll_summary(request, payroll_pk: int):
    today = timezone.localdate()
    document = _issued(
        request, lambda: payroll_summary.issue_payroll_summary(request.user, payroll_pk, today)
    )
    if document is None:
        return redirect("payments:payroll", pk=payroll_pk)
    return redirect("documents:print", pk=document.pk)
