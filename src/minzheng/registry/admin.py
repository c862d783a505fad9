"""Back office for the registry: scoped to the user's region, sensitive values masked."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from minzheng.kit.masking import mask_id_number, mask_name, mask_phone
from minzheng.regions.scoping import scope_queryset
from minzheng.registry.models import (
    Asset,
    Household,
    HouseholdMove,
    IncomeItem,
    Person,
    SelfCareAssessment,
    Supporter,
)


class RegionScopedAdmin(admin.ModelAdmin):
    region_field = "region"

    def get_queryset(self, request):
        return scope_queryset(
            super().get_queryset(request), request.user, region_field=self.region_field
        )

    def has_delete_permission(self, request, obj=None):
        return False  # registry rows are closed, never deleted: decisions refer to them


@admin.register(Household)
class HouseholdAdmin(RegionScopedAdmin):
    list_display = ["number", "region", "address", "area_type", "status"]
    list_filter = ["area_type", "status"]
    search_fields = ["number"]
    readonly_fields = ["number", "region", "version", "created_at", "updated_at"]
    fields = ["number", "region", "address", "area_type", "status", "version"]

    def has_change_permission(self, request, obj=None):
        return False  # edits go through the registry screens (optimistic locking, audit)


@admin.register(Person)
class PersonAdmin(RegionScopedAdmin):
    list_display = ["name", "masked_id_number", "sex", "birth_date", "household", "relation"]
    list_filter = ["sex", "relation", "disability_grade"]
    search_fields = ["name"]
    fields = [
        "name",
        "masked_id_number",
        "masked_phone",
        "sex",
        "birth_date",
        "household",
        "relation",
        "disability_category",
        "disability_grade",
        "labour_capacity",
    ]
    readonly_fields = fields

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Person) -> str:
        return mask_phone(obj.phone)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IncomeItem)
class IncomeItemAdmin(RegionScopedAdmin):
    region_field = "person__region"
    list_display = ["person", "category", "period", "amount", "excluded"]
    list_filter = ["category", "period", "excluded"]
    readonly_fields = ["person", "category", "period", "amount", "excluded"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("registry.view_person")

    def has_change_permission(self, request, obj=None):
        return False


class HouseholdPartAdmin(RegionScopedAdmin):
    """Things that hang off a household: read-only here, scoped through their household."""

    region_field = "household__region"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("registry.view_household")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Asset)
class AssetAdmin(HouseholdPartAdmin):
    list_display = ["household", "kind", "description", "value", "owner"]
    list_filter = ["kind"]


@admin.register(Supporter)
class SupporterAdmin(HouseholdPartAdmin):
    list_display = ["household", "masked_name", "duty", "relation", "monthly_income", "condition"]
    list_filter = ["duty", "condition"]
    exclude = ["id_number", "id_number_index"]

    @admin.display(description=_("name"))
    def masked_name(self, obj: Supporter) -> str:
        return mask_name(obj.name)


@admin.register(SelfCareAssessment)
class SelfCareAssessmentAdmin(HouseholdPartAdmin):
    region_field = "person__region"
    list_display = ["person", "assessed_on", "items_unable"]


@admin.register(HouseholdMove)
class HouseholdMoveAdmin(HouseholdPartAdmin):
    region_field = "to_household__region"
    list_display = ["person", "from_household", "to_household", "moved_at", "reason"]
