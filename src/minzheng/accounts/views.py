from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from minzheng.accounts import services
from minzheng.accounts.forms import SignInForm


@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            outcome = services.attempt_sign_in(
                request, form.cleaned_data["username"], form.cleaned_data["password"]
            )
        if outcome.ok:
            return redirect(next_url or "web:home")
        form.add_error(None, outcome.message)
        status = 401
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def sign_out(request):
    with transaction.atomic():
        services.sign_out(request)
    messages.success(request, "您已安全退出。")
    return redirect("accounts:login")
