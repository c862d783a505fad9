"""Back-office screens of reference data owned by the lower layers, whose changes must reach the
audit chain: regions (the region app sits below the audit and has no admin of its own)."""

from django.contrib import admin

from minzheng.audit.events import Event
from minzheng.audit.reference import save_reference_change
from minzheng.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "urban_rural", "parent"]
    list_filter = ["level", "urban_rural"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False  # the tree is loaded from the published file (load-regions)

    def has_delete_permission(self, request, obj=None):
        return False  # every record in the house refers to its region

    def save_model(self, request, obj, form, change):
        save_reference_change(
            request.user, obj, form.changed_data, Event.REGION_CHANGED, region_code=obj.code
        )
