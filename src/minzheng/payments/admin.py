"""Back office for payments: read-only, scoped to the user's region, accounts masked. Every
change goes through the payroll screens (maker-checker, audit)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from minzheng.kit.masking import mask_bank_account
from minzheng.payments.models import Line, Payroll, Recovery
from minzheng.payments.selectors import payrolls_for
from minzheng.regions.scoping import scope_queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payroll)
class PayrollAdmin(ReadOnlyAdmin):
    list_display = [
        "period",
        "county",
        "program",
        "status",
        "line_count",
        "total_fen",
        "open_flags",
    ]
    list_filter = ["status", "program"]
    exclude = ["summary"]

    def get_queryset(self, request):
        return payrolls_for(request.user)


@admin.register(Line)
class LineAdmin(ReadOnlyAdmin):
    list_display = ["payroll", "beneficiary", "region", "amount_fen", "status", "held"]
    list_filter = ["status", "held", "program"]
    exclude = ["bank_account"]
    readonly_fields = ["masked_account"]

    def get_queryset(self, request):
        lines = super().get_queryset(request).filter(payroll__in=payrolls_for(request.user))
        return scope_queryset(lines, request.user)

    @admin.display(description=_("bank account"))
    def masked_account(self, obj: Line) -> str:
        return mask_bank_account(obj.bank_account)


@admin.register(Recovery)
class RecoveryAdmin(ReadOnlyAdmin):
    list_display = ["person", "program", "kind", "amount_fen", "recovered_fen", "status"]
    list_filter = ["kind", "status"]

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)
