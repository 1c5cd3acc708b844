"""The register's filters and sorting, shared by the screen, its CSV export and the API."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from risks.choices import RiskCategory, RiskLevel, RiskStatus
from risks.models import Risk

SORTS = {
    "level": [F("current_assessment__residual_score").desc(nulls_last=True), "title"],
    "-level": [F("current_assessment__residual_score").asc(nulls_first=True), "title"],
    "inherent": [F("current_assessment__inherent_score").desc(nulls_last=True), "title"],
    "title": ["title", "id"],
    "unit": ["unit__path", "title"],
    "owner": ["owner__last_name", "owner__first_name", "title"],
    "review": [F("next_review_on").asc(nulls_last=True), "title"],
    "assessed": [F("current_assessment__assessed_on").desc(nulls_last=True), "title"],
}
SORT_CHOICES = [
    ("level", _("Level, highest first")),
    ("-level", _("Level, lowest first")),
    ("inherent", _("Inherent level, highest first")),
    ("title", _("Title")),
    ("unit", _("Unit")),
    ("owner", _("Owner")),
    ("review", _("Next review, soonest first")),
    ("assessed", _("Last assessment, newest first")),
]


class RiskFilter(django_filters.FilterSet):
    """``cell`` is a heat-map cell, "residual-3-4" or "inherent-3-4" (likelihood 3, severity 4) of
    the current matrix; the register's heat-map links use it."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    level = django_filters.ChoiceFilter(
        label=_("Residual level"), choices=RiskLevel.choices, field_name="current_assessment__residual_level"
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=RiskCategory.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RiskStatus.choices)
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=None, method="filter_owner")
    overdue = django_filters.BooleanFilter(
        label=_("Review overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )
    cell = django_filters.CharFilter(
        label=_("Heat-map cell"),
        method="filter_cell",
        widget=forms.HiddenInput,
        validators=[RegexValidator(r"^(inherent|residual)-[1-6]-[1-6]$", _("Not a cell of the heat map."))],
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=_("Unit and title")
    )

    class Meta:
        model = Risk
        fields = ["q", "level", "category", "status", "owner", "overdue", "cell", "sort"]

    def __init__(self, *args, owners=None, matrix=None, **kwargs):
        super().__init__(*args, **kwargs)
        from organisation.models import User

        self.matrix = matrix
        self.filters["owner"].queryset = owners if owners is not None else User.objects.filter(is_active=True)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(hazard__icontains=value))

    def filter_owner(self, queryset, name, value):
        return queryset.filter(owner=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(next_review_on__lt=timezone.localdate()).exclude(status=RiskStatus.CLOSED)

    def filter_cell(self, queryset, name, value):
        basis, likelihood, severity = parse_cell(value)
        if basis is None:
            return queryset
        lookup = {
            f"current_assessment__{basis}_likelihood": likelihood,
            f"current_assessment__{basis}_severity": severity,
        }
        if self.matrix is not None:
            lookup["current_assessment__matrix"] = self.matrix
        return queryset.filter(**lookup)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value]) if value in SORTS else queryset


def parse_cell(value: str):
    """("residual" | "inherent", likelihood, severity), or (None, None, None) if it is not a cell."""
    parts = (value or "").split("-")
    if len(parts) != 3 or parts[0] not in ("inherent", "residual"):
        return None, None, None
    try:
        likelihood, severity = int(parts[1]), int(parts[2])
    except ValueError:
        return None, None, None
    if not (1 <= likelihood <= 6 and 1 <= severity <= 6):
        return None, None, None
    return parts[0], likelihood, severity
