"""Issuing social assistance's printed documents from the screens: a village's 公示 list (a
panel of the documents register) and a case's 核对 authorisation form (from the case page).
Thin: one service call in a transaction, then the printable document."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from minzheng.cases import printouts, selectors
from minzheng.documents.panels import IssuePanel, register_panel
from minzheng.documents.views import VIEW, issued
from minzheng.regions.models import Region


class PublicityForm(forms.Form):
    village = forms.ChoiceField(label=_("Village / community"))


def _publicity_form(user, today):
    """The 公示 panel, for whoever manages public notices: the villages under notice today."""
    if not user.has_perm("cases.publicise_case"):
        return None
    codes = selectors.villages_under_notice(user, today)
    villages = Region.objects.filter(code__in=codes).select_related("parent").order_by("code")
    form = PublicityForm()
    form.fields["village"].choices = [(v.code, f"{v.parent.name}{v.name}") for v in villages]
    return form


register_panel(IssuePanel("publicity_form", "cases/_publicity_issue.html", _publicity_form))


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def issue_publicity(request):
    today = timezone.localdate()
    village = request.POST.get("village", "")
    document = issued(request, lambda: printouts.issue_publicity(request.user, village, today))
    if document is None:
        return redirect("documents:register")
    return redirect("documents:print", pk=document.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def issue_consent_form(request, case_pk: int):
    today = timezone.localdate()
    document = issued(request, lambda: printouts.issue_consent_form(request.user, case_pk, today))
    if document is None:
        return redirect("cases:detail", pk=case_pk)
    return redirect("documents:print", pk=document.pk)
