"""Controls in the Django admin: shown read-only; changes go through Siris's screens (services)."""

from django.contrib import admin

from controls.models import Control, Inspection
from organisation.admin import ReadOnlyGovernedAdmin


@admin.register(Control)
class ControlAdmin(ReadOnlyGovernedAdmin):
    list_display = ("title", "unit", "owner", "kind", "next_due_on", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("unit", "owner")
    search_fields = ("title",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyGovernedAdmin):
    list_display = ("control", "performed_at", "performed_by", "result", "due_on")
    list_filter = ("result",)
    list_select_related = ("control", "performed_by")
