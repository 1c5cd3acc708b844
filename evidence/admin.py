"""Evidence and dossiers in the Django admin: read-only (changes go through Siris's services)."""

from django.contrib import admin

from evidence.models import DossierRequest, Evidence
from organisation.admin import ReadOnlyGovernedAdmin


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyGovernedAdmin):
    list_display = ("title", "version", "target_label", "kind", "size", "sha256", "uploaded_by", "created_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("title", "original_name", "sha256", "target_label")


@admin.register(DossierRequest)
class DossierRequestAdmin(ReadOnlyGovernedAdmin):
    list_display = ("reference", "kind", "scope_label", "status", "requested_by", "created_at", "sha256")
    list_select_related = ("requested_by",)
    search_fields = ("reference", "sha256", "scope_label")
