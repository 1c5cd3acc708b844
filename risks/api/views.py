from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import access
from core.api.mixins import ScopedQuerysetMixin, created
from organisation.models import Unit
from risks import selectors, services
from risks.api.serializers import (
    AssessmentSerializer,
    AssessmentWriteSerializer,
    HeatMapSerializer,
    RiskChangeSerializer,
    RiskMatrixSerializer,
    RiskMatrixWriteSerializer,
    RiskSerializer,
    RiskWriteSerializer,
)
from risks.filters import RiskFilter
from risks.models import Assessment, RiskMatrix


def _visible_unit(user, pk) -> Unit:
    try:
        return access.visible_to(Unit.objects.filter(is_active=True), user, "").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _companies_of(user) -> set[int]:
    """Companies in which the person holds a role: they may read those companies' matrices."""
    return {int(g.path.strip("/").split("/")[0]) for g in access.grants(user)}


class RiskMatrixViewSet(viewsets.ReadOnlyModelViewSet):
    """Every version of the matrices of the companies the caller holds a role in (newest first)."""

    serializer_class = RiskMatrixSerializer
    filterset_fields = ["company", "version"]

    def get_queryset(self):
        qs = RiskMatrix.objects.order_by("company_id", "-version")
        if access.is_superuser(self.request.user):
            return qs
        return qs.filter(company_id__in=_companies_of(self.request.user))

    @extend_schema(request=RiskMatrixWriteSerializer, responses={201: RiskMatrixSerializer})
    def create(self, request):
        """Record a new version of a company's matrix; assessments made earlier keep their version."""
        data = RiskMatrixWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        company = data.validated_data["company"]
        if not access.is_superuser(request.user) and company.pk not in _companies_of(request.user):
            raise Http404
        access.require(request.user, "risk.matrix.manage", company)
        matrix = services.risk_matrix_create(
            actor=request.user, **{**data.validated_data, "company": company}
        )
        return created(RiskMatrixSerializer, matrix, request)


UNIT_PARAM = OpenApiParameter("unit", int, description="Only this unit and the units below it.")


class RiskViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The risk register: the same filters and sorting as the screen (level, category, status, owner,
    overdue, cell, sort, q), plus ``unit``."""

    serializer_class = RiskSerializer
    filterset_class = RiskFilter

    def get_queryset(self):
        qs = access.visible_to(selectors.with_counts(selectors._register_base()), self.request.user)
        unit = self.request.query_params.get("unit")
        if unit and self.action == "list":
            qs = qs.filter(unit__path__startswith=_visible_unit(self.request.user, unit).path)
        return qs.order_by("unit__path", "title", "id")

    @extend_schema(parameters=[UNIT_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=RiskWriteSerializer, responses={201: RiskSerializer})
    def create(self, request):
        data = RiskWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = _visible_unit(request.user, data.validated_data["unit"].pk)
        self.require("risk.manage", unit)
        risk = services.risk_create(actor=request.user, **{**data.validated_data, "unit": unit})
        return created(RiskSerializer, self.get_queryset().get(pk=risk.pk), request)

    @extend_schema(request=RiskChangeSerializer, responses={200: RiskSerializer})
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        """Change a risk's description, owner, review date or status (closing needs a reason)."""
        risk = self.get_object()
        self.require("risk.manage", risk.unit)
        data = RiskChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        reason = values.pop("reason", "")
        services.risk_update(actor=request.user, risk=risk, reason=reason, **values)
        return Response(RiskSerializer(self.get_queryset().get(pk=risk.pk)).data)

    @extend_schema(request=AssessmentWriteSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """Record an assessment with the company's current matrix; it becomes the risk's current level."""
        risk = self.get_object()
        self.require("risk.assess", risk.unit)
        data = AssessmentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.risk_assess(actor=request.user, risk=risk, **data.validated_data)
        return created(AssessmentSerializer, assessment, request)

    @extend_schema(parameters=[UNIT_PARAM], responses={200: HeatMapSerializer})
    @action(detail=False, methods=["get"], url_path="heat-map")
    def heat_map(self, request):
        """Counts per cell of the current matrix, inherent and residual, for a unit and below, with the
        same filters as the list."""
        unit_pk = request.query_params.get("unit")
        if unit_pk:
            unit = _visible_unit(request.user, unit_pk)
        else:
            unit = access.units_visible_to(request.user).order_by("path").first()
            if unit is None:
                raise Http404
        matrix = selectors.current_matrix(unit.company_id)
        params = request.query_params.copy()
        params.pop("cell", None)
        base = access.visible_to(selectors.risk_register(unit), request.user)
        filters = RiskFilter(params, queryset=base, matrix=matrix)
        if not filters.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError(filters.errors)
        heat = selectors.heat_map(filters.qs, matrix)
        cells = []
        if matrix is not None:
            for likelihood in range(1, matrix.likelihood_steps + 1):
                for severity in range(1, matrix.severity_steps + 1):
                    cells.append(
                        {
                            "likelihood": likelihood,
                            "severity": severity,
                            "level": matrix.level_for(likelihood * severity),
                            "inherent": heat.inherent.get((likelihood, severity), 0),
                            "residual": heat.residual.get((likelihood, severity), 0),
                        }
                    )
        return Response(
            HeatMapSerializer(
                {
                    "unit": unit.pk,
                    "matrix": matrix.pk if matrix else None,
                    "matrix_version": matrix.version if matrix else None,
                    "cells": cells,
                    "not_assessed": heat.not_assessed,
                    "other_version": heat.other_version,
                }
            ).data
        )


class AssessmentViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Recorded assessments (never changed), newest first."""

    base_queryset = Assessment.objects.select_related("matrix").order_by("-assessed_on", "-id")
    unit_field = "risk__unit"
    serializer_class = AssessmentSerializer
    filterset_fields = ["risk", "assessor", "matrix", "residual_level", "inherent_level"]
