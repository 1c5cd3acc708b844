"""Django admin for administrators. Changes made here go through the same services."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from organisation.models import Membership, Unit, User


class ReadOnlyGovernedAdmin(SimpleHistoryAdmin):
    """Governed records are shown here but changed only through Siris's screens (which call services):
    the admin's own save would bypass the ledger."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyGovernedAdmin):
    list_display = ("name", "kind", "code", "path", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyGovernedAdmin):
    list_display = ("user", "unit", "role", "starts_on", "ends_on")
    list_filter = ("role",)
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "user__last_name", "unit__name")


@admin.register(User)
class PersonAdmin(UserAdmin, ReadOnlyGovernedAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    list_select_related = ("manager",)
