"""Requirements API: the same services and permissions as the screens."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import access
from core.api.mixins import ScopedQuerysetMixin, created
from core.middleware import client_ip
from requirements import selectors, services
from requirements.api import serializers as s
from requirements.choices import AckChannel
from requirements.models import (
    Acknowledgement,
    Applicability,
    Evaluation,
    Requirement,
    RequirementVersion,
    Source,
)


def _visible_unit(request, unit):
    if not access.visible_to(type(unit).objects.filter(pk=unit.pk), request.user, "").exists():
        raise Http404


def _visible_requirement(request, requirement, action_name):
    return access.get_for_user(Requirement.objects.select_related("unit"), request.user, requirement.pk, action_name)


class SourceViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Sources of requirements (laws, standards, contracts, internal rules) in the caller's units."""

    base_queryset = Source.objects.order_by("reference", "id")
    serializer_class = s.SourceSerializer
    filterset_fields = ["kind", "unit"]

    @extend_schema(request=s.SourceWriteSerializer, responses={201: s.SourceSerializer})
    def create(self, request):
        data = s.SourceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _visible_unit(request, data.validated_data["unit"])
        self.require("requirement.edit", data.validated_data["unit"])
        return created(s.SourceSerializer, services.source_create(actor=request.user, **data.validated_data), request)


class RequirementViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Requirements; creating one creates its version 1 as a draft."""

    serializer_class = s.RequirementSerializer
    filterset_fields = ["unit", "source", "owner", "is_active"]

    def get_queryset(self):
        return selectors.requirement_list(self.request.user).order_by("reference", "id")

    @extend_schema(request=s.RequirementWriteSerializer, responses={201: s.RequirementSerializer})
    def create(self, request):
        data = s.RequirementWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        _visible_unit(request, values["unit"])
        self.require("requirement.edit", values["unit"])
        values.setdefault("owner", request.user)
        requirement = services.requirement_create(actor=request.user, **values)
        return created(s.RequirementSerializer, self.get_queryset().get(pk=requirement.pk), request)


class VersionViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Versions of requirements: drafted, then approved (frozen) by a QSE manager."""

    base_queryset = RequirementVersion.objects.select_related("requirement__unit").order_by("requirement_id", "number")
    unit_field = "requirement__unit"
    serializer_class = s.VersionSerializer
    filterset_fields = ["requirement"]

    @extend_schema(request=s.VersionWriteSerializer, responses={201: s.VersionSerializer})
    def create(self, request):
        data = s.VersionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["requirement"] = _visible_requirement(request, values["requirement"], "requirement.edit")
        return created(s.VersionSerializer, services.version_create(actor=request.user, **values), request)

    @extend_schema(request=None, responses={200: s.VersionSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        version = self.get_object()
        self.require("requirement.approve", version.requirement.unit)
        return Response(s.VersionSerializer(services.version_approve(actor=request.user, version=version)).data)


class ApplicabilityViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Applicability decisions per unit (inherited by the units below unless overridden)."""

    base_queryset = Applicability.objects.order_by("requirement_id", "unit__path")
    unit_field = "requirement__unit"
    serializer_class = s.ApplicabilitySerializer
    filterset_fields = ["requirement", "unit", "applicable"]

    @extend_schema(request=s.ApplicabilityWriteSerializer, responses={201: s.ApplicabilitySerializer})
    def create(self, request):
        data = s.ApplicabilityWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["requirement"] = _visible_requirement(request, values["requirement"], "requirement.edit")
        return created(s.ApplicabilitySerializer, services.applicability_set(actor=request.user, **values), request)


class EvaluationViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Compliance evaluations: a dated result per requirement and unit."""

    base_queryset = Evaluation.objects.order_by("-evaluated_on", "-id")
    unit_field = "requirement__unit"
    serializer_class = s.EvaluationSerializer
    filterset_fields = ["requirement", "unit", "result"]

    @extend_schema(request=s.EvaluationWriteSerializer, responses={201: s.EvaluationSerializer})
    def create(self, request):
        data = s.EvaluationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["requirement"] = _visible_requirement(request, values["requirement"], "requirement.evaluate")
        return created(s.EvaluationSerializer, services.evaluation_record(actor=request.user, **values), request)


class CommunicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Communications of a version to an audience; creating one communicates the version."""

    serializer_class = s.CommunicationSerializer
    filterset_fields = ["requirement", "version", "status"]

    def get_queryset(self):
        return selectors.communications_visible_to(self.request.user).order_by("-sent_at", "-id")

    @extend_schema(request=s.CommunicationWriteSerializer, responses={201: s.CommunicationSerializer})
    def create(self, request):
        data = s.CommunicationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = access.get_for_user(
            RequirementVersion.objects.select_related("requirement__unit"),
            request.user,
            values["version"].pk,
            "requirement.communicate",
            "requirement__unit",
        )
        communication = services.requirement_communicate(
            actor=request.user,
            version=version,
            due_on=values["due_on"],
            message=values.get("message", ""),
            people=values.get("people", []),
            units=values.get("units", []),
            roles=[(r["unit"], r["role"]) for r in values.get("roles", [])],
        )
        return created(s.CommunicationSerializer, communication, request)


class AcknowledgementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Acknowledgement requests: one's own, and those of requirements in one's units.
    Acknowledge and decline are for oneself; exempt is for QSE managers."""

    serializer_class = s.AcknowledgementSerializer
    filterset_fields = ["communication", "person", "status", "version"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no real user
            return Acknowledgement.objects.none()
        return selectors.acknowledgements_visible_to(self.request.user).order_by("communication_id", "person_id", "id")

    def _mine(self, pk):
        ack = Acknowledgement.objects.filter(pk=pk, person=self.request.user).first() if str(pk).isdigit() else None
        if ack is None:
            raise Http404
        return ack

    def _meta(self, request):
        return {
            "channel": AckChannel.API,
            "ip_address": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", ""),
        }

    @extend_schema(request=None, responses={200: s.AcknowledgementSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        ack = services.acknowledgement_confirm(actor=request.user, ack=self._mine(pk), **self._meta(request))
        return Response(s.AcknowledgementSerializer(ack).data)

    @extend_schema(request=s.ReasonSerializer, responses={200: s.AcknowledgementSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        ack = self._mine(pk)
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ack = services.acknowledgement_decline(
            actor=request.user, ack=ack, reason=data.validated_data["reason"], **self._meta(request)
        )
        return Response(s.AcknowledgementSerializer(ack).data)

    @extend_schema(request=s.ReasonSerializer, responses={200: s.AcknowledgementSerializer})
    @action(detail=True, methods=["post"])
    def exempt(self, request, pk=None):
        ack = access.get_for_user(
            Acknowledgement.objects.select_related("communication__requirement__unit"),
            request.user,
            pk,
            "acknowledgement.exempt",
            "communication__requirement__unit",
        )
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ack = services.acknowledgement_exempt(actor=request.user, ack=ack, reason=data.validated_data["reason"])
        return Response(s.AcknowledgementSerializer(ack).data)
