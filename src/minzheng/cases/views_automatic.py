"""免申即享 screens for the county: run the month's screening, and confirm or decline the
persons it proposes, in bulk. Thin: a form parses, one service call decides in a transaction."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from minzheng.cases import automatic
from minzheng.kit.errors import DomainError

DECIDE = "cases.decide_case"


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


def _chosen(request) -> list[int]:
    return [int(v) for v in request.POST.getlist("proposal") if v.isdigit()][:5000]


@login_required
@permission_required(DECIDE, raise_exception=True)
def proposals(request):
    waiting = automatic.proposals_for(request.user)
    context = {
        "proposals": waiting[:500],
        "count": waiting.count(),
        "programs": "、".join(p.label for p in automatic.automatic_programs()),
        "decline_form": DeclineForm(),
        "may_screen": bool(request.user.region_id) and len(request.user.region_id) == 12,
    }
    return render(request, "cases/automatic.html", context)


def _attempt(request, call, done):
    try:
        with transaction.atomic():
            result = call()
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("cases:automatic")
    done(result)
    return redirect("cases:automatic")


@login_required
@permission_required(DECIDE, raise_exception=True)
@require_POST
def screen(request):
    today = timezone.localdate()

    county = request.user.region_id or ""
    return _attempt(
        request,
        lambda: automatic.screen(request.user, county, today),
        lambda found: messages.success(request, str(found)),
    )


@login_required
@permission_required(DECIDE, raise_exception=True)
@require_POST
def confirm(request):
    today = timezone.localdate()

    def done(result):
        messages.success(request, f"已确认 {len(result.cases)} 人，从下月起发放。")
        for name, why in result.refused:
            messages.error(request, f"{name}：{why}")

    chosen = _chosen(request)
    return _attempt(request, lambda: automatic.confirm(request.user, chosen, today), done)


@login_required
@permission_required(DECIDE, raise_exception=True)
@require_POST
def decline(request):
    today = timezone.localdate()
    reason = request.POST.get("reason", "")
    chosen = _chosen(request)
    return _attempt(
        request,
        lambda: automatic.decline(request.user, chosen, reason, today),
        lambda n: messages.success(request, f"已将 {n} 人列为不予纳入。"),
    )
