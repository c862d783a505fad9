from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from minzheng.kit.errors import DomainError
from minzheng.registry import selectors, services
from minzheng.registry.forms import HouseholdAddressForm


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_list(request):
    search = request.GET.get("q", "").strip()
    households = selectors.households_for(request.user, search=search)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    return render(request, "registry/household_list.html", {"page": page, "q": search})


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_detail(request, pk: int):
    household = selectors.household_for(request.user, pk)
    context = {
        "household": household,
        "members": selectors.members_of(household),
        "incomes": selectors.incomes_of(household),
        "assets": household.assets.select_related("owner"),
        "supporters": household.supporters.all(),
    }
    return render(request, "registry/household_detail.html", context)


@login_required
@permission_required("registry.change_household", raise_exception=True)
@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    household = selectors.household_for(request.user, pk)
    initial = {"address": household.address, "version": household.version}
    form = HouseholdAddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.update_household_address(request.user, pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("address" if exc.field == "address" else None, exc.message)
            context = {"household": household, "form": form}
            return render(request, "registry/household_edit.html", context, status=exc.status)
        messages.success(request, "已保存。")
        return redirect("registry:household", pk=pk)
    return render(request, "registry/household_edit.html", {"household": household, "form": form})


@login_required
@require_POST
def reveal_id_number(request, pk: int):
    with transaction.atomic():
        number = services.reveal_id_number(request.user, pk, request=request)
    return render(request, "registry/_revealed.html", {"value": number})
