"""Controls, checklists, inspections and the planned-versus-performed report over the API.

Same rules as the screens: scoped reads (404 outside scope), 403 without the role, every change
through the same service.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from controls import report, selectors, services
from controls.api.serializers import (
    ChecklistSetSerializer,
    ControlSerializer,
    ControlsReasonSerializer,
    ControlUpdateSerializer,
    ControlWriteSerializer,
    CorrectionWriteSerializer,
    InspectionSerializer,
    InspectionWriteSerializer,
    ReportSerializer,
    RescheduleSerializer,
    answers_dict,
)
from controls.models import ChecklistItem, Control, Inspection
from core import access
from core.api.mixins import ScopedQuerysetMixin, created
from core.exceptions import DomainError
from organisation.models import Unit


def _visible_unit(user, unit):
    if not access.visible_to(Unit.objects.filter(pk=unit.pk), user, "").exists():
        raise Http404


class ControlViewSet(ScopedQuerysetMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Controls on units the caller can see, each with its active checklist."""

    base_queryset = Control.objects.select_related("unit", "owner").prefetch_related(
        Prefetch("checklist_items", queryset=ChecklistItem.objects.filter(is_active=True).order_by("position"),
                 to_attr="active_items")).order_by("next_due_on", "pk")
    serializer_class = ControlSerializer
    filterset_fields = ["unit", "owner", "kind", "is_active", "frequency_unit"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        for name in ("risks", "requirements"):
            if hasattr(Control, name):
                queryset = queryset.prefetch_related(name)
        return queryset

    @extend_schema(request=ControlWriteSerializer, responses={201: ControlSerializer})
    def create(self, request):
        data = ControlWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        _visible_unit(request.user, values["unit"])
        self.require("control.manage", values["unit"])
        values["checklist"] = [dict(item) for item in values["checklist"]]
        control = services.control_create(actor=request.user, **values)
        return created(ControlSerializer, self.get_queryset().get(pk=control.pk), request)

    @extend_schema(request=ControlUpdateSerializer, responses={200: ControlSerializer})
    def partial_update(self, request, pk=None):
        control = self.get_object()
        self.require("control.manage", control.unit)
        data = ControlUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        reason = values.pop("reason", "")
        if "unit" in values:
            _visible_unit(request.user, values["unit"])
            self.require("control.manage", values["unit"])
        services.control_update(actor=request.user, control=control, reason=reason, **values)
        return Response(ControlSerializer(self.get_queryset().get(pk=control.pk)).data)

    @extend_schema(request=ChecklistSetSerializer, responses={200: ControlSerializer})
    @action(detail=True, methods=["post"])
    def checklist(self, request, pk=None):
        """Replace the checklist (ordered items; give the id of an item to keep it)."""
        control = self.get_object()
        self.require("control.manage", control.unit)
        data = ChecklistSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.control_set_checklist(actor=request.user, control=control,
                                       items=[dict(i) for i in data.validated_data["items"]],
                                       reason=data.validated_data["reason"])
        return Response(ControlSerializer(self.get_queryset().get(pk=control.pk)).data)

    @extend_schema(request=RescheduleSerializer, responses={200: ControlSerializer})
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        control = self.get_object()
        self.require("control.manage", control.unit)
        data = RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.control_reschedule(actor=request.user, control=control, **data.validated_data)
        return Response(ControlSerializer(self.get_queryset().get(pk=control.pk)).data)

    @extend_schema(request=ControlsReasonSerializer, responses={200: ControlSerializer})
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        control = self.get_object()
        self.require("control.manage", control.unit)
        data = ControlsReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.control_retire(actor=request.user, control=control, reason=data.validated_data["reason"])
        return Response(ControlSerializer(self.get_queryset().get(pk=control.pk)).data)


class InspectionViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Inspections (corrections included: ``corrects`` / ``corrected_by`` link them)."""

    base_queryset = Inspection.objects.select_related("correction").prefetch_related("answers").order_by(
        "-performed_at", "-pk")
    serializer_class = InspectionSerializer
    filterset_fields = ["control", "unit", "result", "performed_by", "due_on"]

    @extend_schema(request=InspectionWriteSerializer, responses={201: InspectionSerializer})
    def create(self, request):
        """Record an inspection: answers per checklist item (required ones must be answered)."""
        data = InspectionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        control = selectors.control_for_user(request.user, values["control"])
        if not selectors.can_inspect(request.user, control):
            raise PermissionDenied("Your role on this unit does not allow recording inspections.")
        inspection = services.inspection_record(
            actor=request.user, control=control, performed_at=values["performed_at"], result=values["result"],
            answers=answers_dict(values["answers"]), findings=values["findings"])
        return created(InspectionSerializer, self.get_queryset().get(pk=inspection.pk), request)

    @extend_schema(request=CorrectionWriteSerializer, responses={201: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Correct this inspection with a new record that points at it."""
        original = self.get_object()
        if not selectors.can_inspect(request.user, original.control):
            raise PermissionDenied("Your role on this unit does not allow recording inspections.")
        data = CorrectionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        correction = services.inspection_correct(
            actor=request.user, inspection=original, reason=values["reason"], performed_at=values["performed_at"],
            result=values["result"], answers=answers_dict(values["answers"]), findings=values["findings"])
        return created(InspectionSerializer, self.get_queryset().get(pk=correction.pk), request)


@extend_schema(
    parameters=[OpenApiParameter("unit", int, required=False), OpenApiParameter("start", str, required=False),
                OpenApiParameter("end", str, required=False)],
    responses=ReportSerializer)
@api_view(["GET"])
def report_view(request):
    """Planned versus performed per unit and month for the caller's units (same figures as the screen)."""
    from controls.forms import ReportForm

    form = ReportForm(request.query_params, user=request.user)
    if not form.is_valid():
        errors = form.errors.get_json_data()
        first = next(iter(errors))
        raise DomainError(errors[first][0]["message"], field=first)
    start, end = report.default_period()
    start = form.cleaned_data["start"] or start
    end = form.cleaned_data["end"] or end
    if end < start:
        raise DomainError("The end of the period is before its start.", field="end")
    unit = form.cleaned_data["unit"]
    data = report.planned_vs_performed(request.user, unit=unit, start=start, end=end)
    return Response({
        "start": start, "end": end, "unit": unit.pk if unit else None,
        "rows": [{"unit": r["unit"].pk, "unit_name": r["unit"].name,
                  **{c: r[c] for c in report.COLUMNS}} for r in data["rows"]],
        "total": data["total"],
        "months": [{"month": m["month"], **{c: m[c] for c in report.COLUMNS}} for m in data["months"]],
    })
