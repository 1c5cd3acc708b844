"""Read-only admin views of risks: every change goes through the risk screens and services."""

from django.contrib import admin

from organisation.admin import ReadOnlyGovernedAdmin
from risks.models import Assessment, Risk, RiskMatrix


@admin.register(RiskMatrix)
class RiskMatrixAdmin(ReadOnlyGovernedAdmin):
    list_display = ("company", "version", "likelihood_steps", "severity_steps", "created_at")
    list_select_related = ("company",)


@admin.register(Risk)
class RiskAdmin(ReadOnlyGovernedAdmin):
    list_display = ("title", "unit", "category", "status", "owner", "next_review_on")
    list_filter = ("category", "status")
    list_select_related = ("unit", "owner")
    search_fields = ("title", "hazard")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyGovernedAdmin):
    list_display = ("risk", "assessed_on", "assessor", "inherent_score", "residual_score", "matrix")
    list_select_related = ("risk", "assessor", "matrix")
