"""Read-only admin: delegations change only through their services."""

from django.contrib import admin

from delegations.models import Delegation


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("delegator", "delegate", "status", "starts_on", "ends_on", "accepted_at")
    list_filter = ("status",)
    list_select_related = ("delegator", "delegate")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
