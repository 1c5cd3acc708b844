from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import access
from core.api.mixins import ScopedQuerysetMixin, created
from organisation import selectors, services
from organisation.api.serializers import (
    EndSerializer,
    MembershipSerializer,
    MembershipWriteSerializer,
    PersonSerializer,
    PersonWriteSerializer,
    UnitSerializer,
    UnitWriteSerializer,
)
from organisation.models import Membership, Unit


class UnitViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Organisation units the caller can see. Administrators create units under their own."""

    base_queryset = Unit.objects.order_by("path")
    unit_field = ""
    serializer_class = UnitSerializer
    filterset_fields = ["kind", "parent", "is_active"]

    @extend_schema(request=UnitWriteSerializer, responses={201: UnitSerializer})
    def create(self, request):
        data = UnitWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = data.validated_data.get("parent")
        if parent is not None:
            if not access.visible_to(Unit.objects.filter(pk=parent.pk), request.user, "").exists():
                raise Http404
            self.require("organisation.manage", parent)
        elif not access.is_superuser(request.user):
            self.require("organisation.manage", None)
        unit = services.unit_create(actor=request.user, **data.validated_data)
        return created(UnitSerializer, unit, request)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People holding a role on a unit the caller can see."""

    serializer_class = PersonSerializer
    filterset_fields = ["is_active", "manager"]

    def get_queryset(self):
        return selectors.people_visible_to(self.request.user).order_by("last_name", "first_name", "id")

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request):
        data = PersonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit, role = values.pop("unit"), values.pop("role")
        if not access.visible_to(Unit.objects.filter(pk=unit.pk), request.user, "").exists():
            raise Http404
        access.require(request.user, "organisation.manage", unit)
        with transaction.atomic():
            person = services.person_create(actor=request.user, **values)
            services.membership_grant(actor=request.user, user=person, unit=unit, role=role)
        return created(PersonSerializer, person, request)


class MembershipViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Role memberships (auditor grants included) on units the caller can see."""

    base_queryset = Membership.objects.select_related("unit").order_by("unit__path", "id")
    serializer_class = MembershipSerializer
    filterset_fields = ["user", "unit", "role"]

    @extend_schema(request=MembershipWriteSerializer, responses={201: MembershipSerializer})
    def create(self, request):
        data = MembershipWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = data.validated_data["unit"]
        if not access.visible_to(Unit.objects.filter(pk=unit.pk), request.user, "").exists():
            raise Http404
        self.require("organisation.manage", unit)
        membership = services.membership_grant(actor=request.user, **data.validated_data)
        return created(MembershipSerializer, membership, request)

    @extend_schema(request=EndSerializer, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        membership = self.get_object()
        self.require("organisation.manage", membership.unit)
        data = EndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_end(actor=request.user, membership=membership, **data.validated_data)
        return Response(MembershipSerializer(membership).data)
