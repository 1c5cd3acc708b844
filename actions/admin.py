"""Actions in the Django admin, read-only: changes go through Siris's screens and services."""

from django.contrib import admin

from actions.models import Action, ActionUpdate, DuePolicy
from organisation.admin import ReadOnlyGovernedAdmin


@admin.register(Action)
class ActionAdmin(ReadOnlyGovernedAdmin):
    list_display = ("reference", "title", "status", "priority", "unit", "owner", "due_on")
    list_filter = ("status", "priority", "kind", "origin_type")
    list_select_related = ("unit", "owner")
    search_fields = ("title", "description")


@admin.register(ActionUpdate)
class ActionUpdateAdmin(ReadOnlyGovernedAdmin):
    list_display = ("action", "kind", "author", "at")
    list_filter = ("kind",)
    list_select_related = ("action", "author")


@admin.register(DuePolicy)
class DuePolicyAdmin(ReadOnlyGovernedAdmin):
    list_display = ("priority", "days")
