"""The targets screens: the year's overview with each target's standing, a target's history
with the owner's report form, entry one by one, the sheet import (nothing stored on a bad
sheet) and its template, and the refresh of computed targets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minzheng.dashboards.selectors import trail
from minzheng.dashboards.views import XLSX
from minzheng.kit.errors import DomainError
from minzheng.kit.forms import attempt, status_of
from minzheng.regions.scoping import region_for
from minzheng.targets import forms, selectors, services, sheet
from minzheng.targets.errors import Error
from minzheng.targets.models import Target

VIEW, MANAGE = "targets.view_target", "targets.add_target"


def _year(value, today) -> int:
    try:
        year = int(value or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def overview(request):
    today = timezone.localdate()
    region = region_for(request.user, request.GET.get("region"))
    year = _year(request.GET.get("year"), today)
    status = request.GET.get("status") or None
    status = status if status in Target.Status.values else None
    context = {
        "region": region,
        "trail": trail(request.user, region),
        "year": year,
        "status": status,
        "statuses": Target.Status.choices,
        "lines": selectors.overview(request.user, region, year, today, status),
        "counts": selectors.status_counts(request.user, region, year, today),
    }
    return render(request, "targets/overview.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    today = timezone.localdate()
    target = services.target_for(request.user, pk)
    form = None
    if selectors.may_report(request.user, target):
        form = forms.ProgressForm(
            request.POST or None, initial={"version": target.version, "on": today}
        )
    if request.method == "POST":
        if form is None:
            raise Error.MAY_NOT_REPORT.error()
        if form.is_valid():
            data = form.cleaned_data
            done = attempt(
                form,
                lambda: services.report_progress(
                    request.user,
                    pk,
                    data["version"],
                    data["value"],
                    data["on"],
                    data["note"],
                    today,
                ),
            )
            if done:
                messages.success(request, "已填报进度。")
                return redirect("targets:detail", pk=pk)
    line = selectors.lines([target], today)[0]
    history = list(selectors.history(target))
    chart = {
        "target": str(target.target_value),
        "points": [[f"{p.on:%Y-%m-%d}", str(p.value)] for p in history],
    }
    context = {"line": line, "target": target, "history": history, "form": form, "chart": chart}
    status = status_of(form) if request.method == "POST" else 200
    return render(request, "targets/detail.html", context, status=status)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def new(request):
    today = timezone.localdate()
    region = services.plan_region(request.user, request.GET.get("region"))
    year = _year(request.GET.get("year"), today)
    form = forms.TargetForm(request.POST or None, reporters=services.reporters_in(region))
    if request.method == "POST" and form.is_valid():
        target = attempt(
            form, lambda: services.create_target(request.user, region, year, form.row())
        )
        if target:
            messages.success(request, f"已录入工作目标 {target.number}。")
            return redirect("targets:detail", pk=target.pk)
    status = status_of(form) if request.method == "POST" else 200
    context = {"form": form, "region": region, "year": year}
    return render(request, "targets/form.html", context, status=status)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_sheet(request):
    today = timezone.localdate()
    region = services.plan_region(request.user, request.GET.get("region"))
    year = _year(request.GET.get("year"), today)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                with transaction.atomic():
                    created = services.import_targets(
                        request.user, region, year, upload.name, upload.read()
                    )
            except services.SheetRefused as exc:
                errors = exc.errors
                form.add_error("file", exc.message)
            except DomainError as exc:
                form.add_error("file", exc.message)
                status = exc.status
            else:
                messages.success(request, f"已导入 {len(created)} 项{year}年工作目标。")
                return redirect(f"{reverse('targets:overview')}?region={region.code}&year={year}")
    context = {"form": form, "errors": errors, "region": region, "year": year}
    return render(request, "targets/import.html", context, status=status)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_GET
def template(request):
    response = HttpResponse(sheet.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="targets_template.xlsx"'
    return response


@login_required
@permission_required("targets.change_target", raise_exception=True)
@require_POST
def refresh(request):
    today = timezone.localdate()
    region = region_for(request.user, request.POST.get("region"))
    year = _year(request.POST.get("year"), today)
    with transaction.atomic():
        changed = services.refresh_computed(request.user, region, year, today)
    messages.success(request, f"已刷新自动计算的工作目标：{changed} 项有变化。")
    return redirect(f"{reverse('targets:overview')}?region={region.code}&year={year}")
