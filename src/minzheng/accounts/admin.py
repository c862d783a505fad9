"""Back office for accounts. Account fields are edited by the system administrator; roles only
by the security administrator, through the same services as every other surface."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minzheng.accounts import services
from minzheng.accounts.models import LoginThrottle, User
from minzheng.accounts.roles import ROLE_CHOICES
from minzheng.kit.errors import DomainError


class UserAddForm(forms.ModelForm):
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ["username", "full_name", "region"]


class UserAccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "region", "is_active"]


class UserRolesForm(UserAccountForm):
    """Only for the security administrator: a declared field is part of the form whatever
    `fields` says, so the system administrator gets UserAccountForm instead (with this form
    his every save tried to set roles, was refused, and rolled his changes back)."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = self.instance.role_codes


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "full_name", "region", "roles_display", "is_active", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["region"]
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description=_("Roles"))
    def roles_display(self, obj: User) -> str:
        return "、".join(obj.role_labels)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = UserAddForm
        else:
            fields = self._editable_fields(request)
            kwargs["form"] = UserRolesForm if "roles" in fields else UserAccountForm
            kwargs["fields"] = fields
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "full_name", "region", "password"]
        return [*self._editable_fields(request), "last_login", "date_joined"]

    def _editable_fields(self, request) -> list[str]:
        fields = []
        if request.user.has_perm("accounts.change_user"):
            fields += ["full_name", "region", "is_active"]
        if request.user.has_perm("accounts.grant_role"):
            fields.append("roles")
        return fields

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("accounts.change_user") or request.user.has_perm(
            "accounts.grant_role"
        )

    def save_model(self, request, obj, form, change):
        try:
            with transaction.atomic():
                self._save(request, obj, form, change)
        except DomainError as exc:
            request.refused_in_back_office = True
            messages.error(request, exc.message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """No "saved" message after a refusal: the refusal rolled everything back."""
        if level == messages.SUCCESS and getattr(request, "refused_in_back_office", False):
            return
        super().message_user(request, message, level, *args, **kwargs)

    def _save(self, request, obj, form, change):
        if not change:
            services.create_user(
                request.user,
                username=obj.username,
                password=form.cleaned_data["password"],
                region_code=obj.region_id,
                full_name=obj.full_name,
            )
            return
        if request.user.has_perm("accounts.change_user"):
            services.update_account(request.user, obj, form.changed_data)
        if "roles" in form.changed_data:
            services.set_roles(request.user, obj, form.cleaned_data["roles"])

    def save_related(self, request, form, formsets, change):
        """Roles are groups but are set through the service above, never by the form."""

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: the audit log refers to them


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ["username", "failures", "locked_until", "last_failure_at"]
    readonly_fields = ["username", "failures", "locked_until", "last_failure_at"]
    actions = ["unlock"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.unlock_user")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request, queryset):
        with transaction.atomic():
            for throttle in queryset:
                services.unlock_user(request.user, throttle.username)
