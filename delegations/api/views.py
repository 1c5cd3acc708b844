from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from core import access
from core.api.mixins import created
from delegations import selectors, services
from delegations.api.serializers import (
    AcceptSerializer,
    DelegationSerializer,
    DelegationsReasonSerializer,
    DelegationWriteSerializer,
    MapQuerySerializer,
)
from delegations.models import Delegation
from organisation.models import Unit


class DelegationViewSet(viewsets.ReadOnlyModelViewSet):
    """Delegations of authority covering units the caller can see, or given or received by the caller."""

    serializer_class = DelegationSerializer
    filterset_fields = ["status", "delegator", "delegate"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no real user
            return Delegation.objects.none()
        return selectors.delegations_visible_to(self.request.user).prefetch_related("units").order_by(
            "-starts_on", "-id")

    def _respond(self, delegation):
        return Response(DelegationSerializer(self.get_queryset().get(pk=delegation.pk)).data)

    @extend_schema(request=DelegationWriteSerializer, responses={201: DelegationSerializer})
    def create(self, request):
        data = DelegationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("delegator", request.user)
        for unit in values["units"]:
            if not access.visible_to(Unit.objects.filter(pk=unit.pk), request.user, "").exists():
                raise Http404
        parent = values.get("parent")
        if parent is not None and not selectors.delegations_visible_to(request.user).filter(pk=parent.pk).exists():
            raise Http404
        delegation = services.delegation_propose(actor=request.user, **values)
        return created(DelegationSerializer, self.get_queryset().get(pk=delegation.pk), request)

    @extend_schema(request=AcceptSerializer, responses={200: DelegationSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The delegate accepts with their password; a wrong one is refused (400) and recorded."""
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        delegation = services.delegation_accept(actor=request.user, delegation=self.get_object(),
                                                **data.validated_data)
        return self._respond(delegation)

    @extend_schema(request=DelegationsReasonSerializer, responses={200: DelegationSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        data = DelegationsReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        delegation = services.delegation_refuse(actor=request.user, delegation=self.get_object(),
                                                **data.validated_data)
        return self._respond(delegation)

    @extend_schema(request=DelegationsReasonSerializer, responses={200: DelegationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        data = DelegationsReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        delegation = services.delegation_revoke(actor=request.user, delegation=self.get_object(),
                                                **data.validated_data)
        return self._respond(delegation)


class MapRoleSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    person = serializers.IntegerField()
    role = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class MapOwnerSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    label = serializers.CharField()
    unit = serializers.IntegerField()
    owner = serializers.IntegerField(allow_null=True)


class MapSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    on = serializers.DateField()
    roles = MapRoleSerializer(many=True)
    delegations = serializers.ListField(child=serializers.IntegerField())
    owners = MapOwnerSerializer(many=True)


@extend_schema(parameters=[OpenApiParameter("unit", int, required=True), OpenApiParameter("on", str, required=True)],
               responses=MapSerializer)
@api_view(["GET"])
def responsibility_map_view(request):
    """Who was responsible for a unit at the end of a date: roles, delegations in force, owners."""
    query = MapQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    unit = access.get_for_user(Unit.objects.all(), request.user, query.validated_data["unit"], "view", "")
    result = selectors.responsibility_map(unit, query.validated_data["on"])
    return Response({
        "unit": unit.pk,
        "on": result["on"],
        "roles": [{"unit": r["unit"].pk, "person": r["person"].pk if r["person"] else None, "role": r["role_code"],
                   "starts_on": r["starts_on"], "ends_on": r["ends_on"]} for r in result["roles"]],
        "delegations": [d["delegation"].pk for d in result["delegations"]],
        "owners": [{"type": s["key"], "id": row["record"].pk, "label": str(row["record"]),
                    "unit": row["record"].unit_id, "owner": row["record"].owner_id}
                   for s in result["sections"] for row in s["rows"]],
    })
