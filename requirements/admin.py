"""Admin: governed records are shown read-only; changes go through Siris's screens and services."""

from django.contrib import admin

from organisation.admin import ReadOnlyGovernedAdmin
from requirements.models import Acknowledgement, Communication, Requirement, RequirementVersion, Source


@admin.register(Source)
class SourceAdmin(ReadOnlyGovernedAdmin):
    list_display = ("reference", "title", "kind", "unit")
    list_select_related = ("unit",)
    search_fields = ("reference", "title")


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyGovernedAdmin):
    list_display = ("reference", "title", "unit", "owner", "next_review_on")
    list_select_related = ("unit", "owner")
    search_fields = ("reference", "title")


@admin.register(RequirementVersion)
class VersionAdmin(ReadOnlyGovernedAdmin):
    list_display = ("requirement", "number", "effective_on", "approved_at")
    list_select_related = ("requirement",)


@admin.register(Communication)
class CommunicationAdmin(ReadOnlyGovernedAdmin):
    list_display = ("requirement", "version", "sent_at", "status", "recipients_count")
    list_select_related = ("requirement", "version__requirement")


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyGovernedAdmin):
    list_display = ("person", "version", "status", "answered_at", "channel")
    list_select_related = ("person", "version__requirement")
    list_filter = ("status", "channel")
