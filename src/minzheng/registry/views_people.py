"""Screens that register and change households and persons. Thin: a form parses, one service
call decides inside the transaction, a DomainError lands on the form field it names."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from minzheng.kit.errors import DomainError
from minzheng.registry import circumstances, forms, forms_circumstances, people, selectors


def _attempt(form, call):
    """Run `call` in a transaction; on a DomainError put its message on the form. Returns the
    result, or None when refused."""
    try:
        with transaction.atomic():
            return call()
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        form.refused_status = exc.status
        return None


def _page(request, template: str, context: dict, form):
    status = getattr(form, "refused_status", 200) if form.errors else 200
    if request.method == "POST" and form.errors and status == 200:
        status = 422
    return render(request, template, {**context, "form": form}, status=status)


@login_required
@permission_required("registry.add_household", raise_exception=True)
@require_http_methods(["GET", "POST"])
def household_create(request):
    form = forms.NewHouseholdForm(
        request.POST or None, villages=selectors.villages_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = _attempt(
            form,
            lambda: people.register_household(
                request.user,
                village_code=data["village"],
                address=data["address"],
                area_type=data["area_type"],
                hukou_address=data["hukou_address"],
                head_id_number=data["id_number"],
                head=form.facts(),
            ),
        )
        if household:
            messages.success(request, f"已登记家庭 {household.number}。")
            return redirect("registry:household", pk=household.pk)
    return _page(request, "registry/household_form.html", {}, form)


@login_required
@permission_required("registry.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    household = selectors.household_for(request.user, pk)
    form = forms.NewPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _attempt(
            form,
            lambda: people.add_member(
                request.user, pk, form.cleaned_data["id_number"], form.facts()
            ),
        )
        if person:
            messages.success(request, f"已添加成员 {person.name}。")
            return redirect("registry:household", pk=pk)
    return _page(request, "registry/person_form.html", {"household": household}, form)


@login_required
@permission_required("registry.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = selectors.person_for(request.user, pk)
    initial = {name: getattr(person, name) for name in people.EDITABLE}
    form = forms.EditPersonForm(
        request.POST or None, initial={**initial, "version": person.version}
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in people.EDITABLE}
        changes["disability_grade"] = changes.get("disability_grade") or None
        if _attempt(
            form,
            lambda: people.update_person(
                request.user, pk, changes, version=form.cleaned_data["version"]
            ),
        ):
            messages.success(request, "已保存。")
            return redirect("registry:household", pk=person.household_id)
    context = {"household": person.household, "person": person}
    return _page(request, "registry/person_form.html", context, form)


@login_required
@permission_required("registry.transfer_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_transfer(request, pk: int):
    person = selectors.person_for(request.user, pk)
    form = forms.TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def transfer():
            target = selectors.household_by_number(request.user, data["to_household"])
            return people.transfer_person(
                request.user, pk, target.pk, relation=data["relation"], reason=data["reason"]
            )

        moved = _attempt(form, transfer)
        if moved:
            messages.success(request, f"{moved.name} 已迁入户 {moved.household.number}。")
            return redirect("registry:household", pk=moved.household_id)
    context = {"household": person.household, "person": person}
    return _page(request, "registry/transfer_form.html", context, form)


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_timeline(request, pk: int):
    household = selectors.household_for(request.user, pk)
    events = selectors.household_timeline(request.user, household)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "registry/timeline.html", {"household": household, "page": page})


@login_required
@permission_required("registry.change_household", raise_exception=True)
@require_http_methods(["GET", "POST"])
def circumstance_add(request, pk: int, kind: str):
    if kind not in forms_circumstances.FORMS:
        raise Http404
    household = selectors.household_for(request.user, pk)
    form = forms_circumstances.form_for(kind, household, request.POST or None)
    if request.method == "POST" and form.is_valid():
        id_number = form.cleaned_data.get("supporter_id_number", "")
        saved = _attempt(
            form,
            lambda: circumstances.add_circumstance(
                request.user, pk, kind, form.save(commit=False), supporter_id_number=id_number
            ),
        )
        if saved:
            messages.success(request, "已保存。")
            return redirect("registry:household", pk=pk)
    context = {"household": household, "title": forms_circumstances.TITLES[kind]}
    return _page(request, "registry/circumstance_form.html", context, form)


@login_required
@permission_required("registry.change_household", raise_exception=True)
@require_http_methods(["POST"])
def circumstance_remove(request, pk: int, kind: str, item: int):
    if kind not in forms_circumstances.FORMS:
        raise Http404
    with transaction.atomic():
        circumstances.remove_circumstance(request.user, pk, kind, item)
    messages.success(request, "已删除。")
    return redirect("registry:household", pk=pk)
