from django.contrib import admin

from minzheng.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "urban_rural", "parent"]
    list_filter = ["level", "urban_rural"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["code"]
