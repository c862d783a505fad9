"""The leaders' screens: the dashboard (with drill-down through the region tree), the monthly
statistics with their Excel export, and closing a month. Thin: selectors read, one service
call decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from minzheng.dashboards import dashboard as panels
from minzheng.dashboards import export, extras, figures, forms, selectors, services, tables
from minzheng.dashboards.models import MonthClosing
from minzheng.kit.errors import DomainError
from minzheng.kit.money import fen_to_yuan
from minzheng.regions import codes
from minzheng.regions.scoping import region_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@permission_required("dashboards.view_dashboard", raise_exception=True)
@require_GET
def dashboard(request):
    today = timezone.localdate()
    region = region_for(request.user, request.GET.get("region"))
    recipients = panels.recipients(region, today)
    context = {
        "region": region,
        "trail": selectors.trail(request.user, region),
        "today": today,
        "recipients": recipients,
        "funnel": panels.monitoring_funnel(request.user, region, today.year, today),
        "outreach": panels.outreach_conversion(request.user, region, today.year),
        "overdue": panels.overdue(request.user, region, today),
        **extras.values(request.user, region, today),
    }
    context["charts"] = _charts(context)
    return render(request, "dashboards/dashboard.html", context)


def _charts(context) -> dict:
    recipients, funnel, outreach = (context[k] for k in ("recipients", "funnel", "outreach"))
    base = reverse("dashboards:dashboard")
    return {
        "programs": {
            "labels": [label for _code, label, _t in recipients["programs"]],
            "households": [t.households for _c, _l, t in recipients["programs"]],
        },
        "parts": {
            "labels": [p["name"] for p in recipients["parts"]],
            "households": [p["totals"].households for p in recipients["parts"]],
            "links": [f"{base}?region={p['code']}" for p in recipients["parts"]],
        },
        "trend": {
            "labels": [t["month"] for t in recipients["trend"]],
            "households": [t["households"] for t in recipients["trend"]],
            "amounts": [str(fen_to_yuan(t["amount_fen"])) for t in recipients["trend"]],
        },
        "funnel": [
            [label, funnel[key]]
            for key, label in (
                ("raised", "预警"),
                ("assigned", "已分派"),
                ("verified", "已核实"),
                ("closed", "已处置"),
            )
        ],
        "outreach": [
            [label, outreach[key]]
            for key, label in (
                ("found", "发现"),
                ("visited", "已走访"),
                ("applied", "已申请"),
                ("enrolled", "已纳入"),
            )
        ],
    }


def _month(request, today):
    month = forms.parse_month(request.GET.get("month", ""))
    return month or figures.shift(today.replace(day=1), -1)


@login_required
@permission_required("dashboards.view_statistics", raise_exception=True)
@require_GET
def statistics(request):
    today = timezone.localdate()
    region = region_for(request.user, request.GET.get("region"))
    month = _month(request, today)
    table = tables.table_for(region, month)
    context = {
        "region": region,
        "trail": selectors.trail(request.user, region),
        "table": table,
        "month": month,
        "previous": figures.shift(month, -1),
        "following": figures.shift(month, 1),
        "status_line": export.status_line(table),
        "close_form": _close_form(request.user, region, month, today),
    }
    return render(request, "dashboards/statistics.html", context)


def _close_form(user, region, month, today):
    if not user.has_perm("dashboards.close_month") or region.level != codes.COUNTY:
        return None
    if month >= today.replace(day=1):
        return None
    if MonthClosing.objects.filter(county=region, month=month).exists():
        return None  # only hides the button: the unique constraint decides a closing
    return forms.CloseMonthForm(initial={"region": region.code, "month": f"{month:%Y-%m}"})


@login_required
@permission_required("dashboards.view_statistics", raise_exception=True)
@require_GET
def export_statistics(request):
    today = timezone.localdate()
    region = region_for(request.user, request.GET.get("region"))
    month = _month(request, today)
    content = export.workbook(tables.table_for(region, month))
    response = HttpResponse(content, content_type=XLSX)
    name = f"statistics_{region.code}_{month:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required("dashboards.close_month", raise_exception=True)
@require_POST
def close_month(request):
    form = forms.CloseMonthForm(request.POST)
    target = reverse("dashboards:statistics")
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(target)
    region, month = form.cleaned_data["region"], form.cleaned_data["month"]
    query = f"{target}?region={region}&month={month:%Y-%m}"
    try:
        with transaction.atomic():
            services.close_month(request.user, region, month, timezone.localdate())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(query)
    messages.success(request, f"已关账 {month.year}年{month.month}月 统计月报。")
    return redirect(query)
