from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import access
from core.api.mixins import created
from decisions import selectors, services
from decisions.api.serializers import (
    AlarmSerializer,
    AlarmWriteSerializer,
    AnswerSerializer,
    DecisionSerializer,
    DecisionsReasonSerializer,
    DecisionUpdateSerializer,
    DecisionWriteSerializer,
    NoteSerializer,
    OptionalReasonSerializer,
    SignSerializer,
)
from decisions.models import AlarmAddressee, AlarmEscalation, DecisionApprover, Signature
from organisation.models import Unit


def _visible_unit(user, unit):
    if not access.visible_to(Unit.objects.filter(pk=unit.pk), user, "").exists():
        raise Http404
    return unit


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Decisions the caller can see, with their approvers and signatures (name, time, meaning)."""

    serializer_class = DecisionSerializer
    filterset_fields = ["status", "kind", "unit"]

    def get_queryset(self):
        return selectors.decisions_visible_to(self.request.user).select_related("unit").prefetch_related(
            Prefetch("approvers", queryset=DecisionApprover.objects.order_by("position", "id")),
            Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
            "links", "planned_actions",
        ).order_by("-created_at", "-id")

    def _respond(self, decision):
        return Response(DecisionSerializer(self.get_queryset().get(pk=decision.pk)).data)

    @extend_schema(request=DecisionWriteSerializer, responses={201: DecisionSerializer})
    def create(self, request):
        data = DecisionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        _visible_unit(request.user, values["unit"])
        values["planned_actions"] = [dict(p) for p in values["planned_actions"]]
        decision = services.decision_create(actor=request.user, **values)
        return created(DecisionSerializer, self.get_queryset().get(pk=decision.pk), request)

    @extend_schema(request=DecisionUpdateSerializer, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        decision = self.get_object()
        data = DecisionUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "planned_actions" in values:
            values["planned_actions"] = [dict(p) for p in values["planned_actions"]]
        services.decision_update(actor=request.user, decision=decision, **values)
        return self._respond(decision)

    @extend_schema(request=None, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        decision = services.decision_submit(actor=request.user, decision=self.get_object())
        return self._respond(decision)

    @extend_schema(request=SignSerializer, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Approve or reject: the password is asked again; a wrong one is refused (400) and recorded."""
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = self.get_object()
        services.decision_sign(actor=request.user, decision=decision, **data.validated_data)
        return self._respond(decision)

    @extend_schema(request=DecisionsReasonSerializer, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = DecisionsReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.decision_withdraw(actor=request.user, decision=self.get_object(), **data.validated_data)
        return self._respond(decision)

    @extend_schema(request=OptionalReasonSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        data = OptionalReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.decision_revise(actor=request.user, decision=self.get_object(), **data.validated_data)
        return created(DecisionSerializer, self.get_queryset().get(pk=new.pk), request)


class AlarmViewSet(viewsets.ReadOnlyModelViewSet):
    """Alarms: seen by their author, their addressees, and QSE managers, administrators and auditors."""

    serializer_class = AlarmSerializer
    filterset_fields = ["status", "severity", "unit"]

    def get_queryset(self):
        return selectors.alarms_visible_to(self.request.user).prefetch_related(
            Prefetch("addressees", queryset=AlarmAddressee.objects.select_related("person")),
            Prefetch("escalations", queryset=AlarmEscalation.objects.select_related("from_addressee")),
            "links",
        ).order_by("-raised_at", "-id")

    def _respond(self, alarm):
        return Response(AlarmSerializer(self.get_queryset().get(pk=alarm.pk)).data)

    @extend_schema(request=AlarmWriteSerializer, responses={201: AlarmSerializer})
    def create(self, request):
        data = AlarmWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        _visible_unit(request.user, values["unit"])
        alarm = services.alarm_raise(actor=request.user, **values)
        return created(AlarmSerializer, self.get_queryset().get(pk=alarm.pk), request)

    @extend_schema(request=None, responses={200: AlarmSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alarm = self.get_object()
        services.alarm_acknowledge(actor=request.user, alarm=alarm)
        return self._respond(alarm)

    @extend_schema(request=AnswerSerializer, responses={200: AlarmSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Only an addressee answers; to anyone else the alarm is not there (404)."""
        alarm = self.get_object()
        if not alarm.addressees.filter(person=request.user).exists():
            raise Http404
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["actions"] = [dict(a) for a in values["actions"]]
        services.alarm_answer(actor=request.user, alarm=alarm, **values)
        return self._respond(alarm)

    @extend_schema(request=NoteSerializer, responses={200: AlarmSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alarm = services.alarm_close(actor=request.user, alarm=self.get_object(), **data.validated_data)
        return self._respond(alarm)

    @extend_schema(request=DecisionsReasonSerializer, responses={200: AlarmSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = DecisionsReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alarm = services.alarm_withdraw(actor=request.user, alarm=self.get_object(), **data.validated_data)
        return self._respond(alarm)
