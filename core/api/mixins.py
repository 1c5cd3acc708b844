"""Shared pieces of every Siris API viewset: scoped querysets and service-backed writes."""

from django.core.exceptions import PermissionDenied
from rest_framework import status
from rest_framework.response import Response

from core import access


class ScopedQuerysetMixin:
    """``get_queryset`` filtered by the one scoping helper; ``unit_field`` names the unit lookup."""

    unit_field = "unit"
    base_queryset = None

    def get_queryset(self):
        return access.visible_to(self.base_queryset.all(), self.request.user, self.unit_field)

    def require(self, action: str, unit):
        if not access.can(self.request.user, action, unit):
            raise PermissionDenied("Your role on this unit does not allow this.")


def created(serializer_class, instance, request):
    return Response(serializer_class(instance, context={"request": request}).data, status=status.HTTP_201_CREATED)
