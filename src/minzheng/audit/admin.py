from django.contrib import admin

from minzheng.audit.models import AuditChainHead, AuditEvent


class AuditorOnlyAdmin(admin.ModelAdmin):
    """Read-only and visible to the audit administrator only (the view permission is his)."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("audit.view_auditevent")

    def has_module_permission(self, request):
        return request.user.has_perm("audit.view_auditevent")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(AuditorOnlyAdmin):
    list_display = ["seq", "at", "actor_name", "action", "object_type", "object_id", "region_code"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_id", "region_code"]


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(AuditorOnlyAdmin):
    """The chain's last sequence number and hash: what an auditor notes down as an anchor."""

    list_display = ["last_seq", "last_hash"]
