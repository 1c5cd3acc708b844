from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import access
from core.api.mixins import ScopedQuerysetMixin, created
from organisation.choices import UnitKind
from organisation.models import Unit
from reminders import selectors, services
from reminders.api.serializers import NotificationSerializer, PolicySerializer, PolicyWriteSerializer
from reminders.models import Notification, ReminderPolicy


class ReminderPolicyViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """A company's own reminder policies (kinds without one follow Siris's defaults).

    POST sets the policy of one kind for a company (administrators of that company).
    """

    base_queryset = ReminderPolicy.objects.select_related("company").order_by("company__path", "kind")
    unit_field = "company"
    serializer_class = PolicySerializer
    filterset_fields = ["company", "kind"]

    @extend_schema(request=PolicyWriteSerializer, responses={201: PolicySerializer})
    def create(self, request):
        data = PolicyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        companies = access.visible_to(Unit.objects.filter(kind=UnitKind.COMPANY), request.user, "")
        company = companies.filter(pk=values.pop("company")).first()
        if company is None:
            raise Http404("No such company.")
        self.require("reminders.policy.edit", company)
        policy = services.reminder_policy_set(actor=request.user, company=company, **values)
        return created(PolicySerializer, policy, request)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own inbox: reminders and escalations addressed to them, newest first."""

    serializer_class = NotificationSerializer
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no real user
            return Notification.objects.none()
        return selectors.inbox(self.request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(actor=request.user, notification=self.get_object())
        return Response(NotificationSerializer(notification).data)
