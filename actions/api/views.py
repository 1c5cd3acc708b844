"""Actions API: the same reads and the same services as the screens; each workflow step is a POST
action. A stale ``version`` or a step that no longer fits the status answers 409."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action as api_action
from rest_framework.response import Response

from actions import origins, selectors, services
from actions.api import serializers as s
from actions.forms import ActionFilterForm
from core import access
from core.api.mixins import created


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Actions in the caller's units. Filters as the list screen: ``q``, ``scope`` (mine, overdue,
    to_verify), ``status`` (or ``active``), ``unit`` (and below), ``origin_type`` (or ``none``),
    ``origin_id``, ``priority``, ``kind``, ``sort``."""

    filter_backends = []

    def get_serializer_class(self):
        return s.ActionListSerializer if self.action == "list" else s.ActionSerializer

    def get_queryset(self):
        if self.action != "list":
            return (
                selectors.actions_visible_to(self.request.user)
                .select_related("unit", "owner")
                .prefetch_related("contributors")
            )
        form = ActionFilterForm(self.request.query_params, user=self.request.user)
        if not form.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError(form.errors)
        data = dict(form.cleaned_data)
        data["sort"] = data["sort"] or "due"
        return selectors.action_list(self.request.user, **data)

    def _get(self, step=None):
        action = self.get_object()
        if step is not None and not selectors.may(self.request.user, action, step):
            raise PermissionDenied("Your role on this unit does not allow this.")
        return action

    def _done(self, action):
        action.refresh_from_db()
        return Response(s.ActionSerializer(action).data)

    @extend_schema(request=s.ActionCreateSerializer, responses={201: s.ActionSerializer})
    def create(self, request):
        data = s.ActionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = values["unit"]
        if not access.units_visible_to(request.user).filter(pk=unit.pk).exists():
            raise Http404
        access.require(request.user, "action.manage", unit)
        origin = origins.resolve(values.pop("origin_type"), values.pop("origin_id"))
        origins.check_visible(origin, request.user)
        action = services.action_open(actor=request.user, origin=origin, **values)
        return created(s.ActionSerializer, action, request)

    @extend_schema(request=None, responses={200: s.ActionUpdateSerializer(many=True)})
    @api_action(detail=True, methods=["get"])
    def log(self, request, pk=None):
        """The action's log: updates and comments, newest first."""
        action = self._get()
        return Response(s.ActionUpdateSerializer(selectors.action_log(action), many=True).data)

    @extend_schema(request=s.VersionSerializer, responses={200: s.ActionSerializer})
    @api_action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        action = self._get("start")
        data = s.VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_start(actor=request.user, action=action, **data.validated_data)
        return self._done(action)

    @extend_schema(request=s.CompleteSerializer, responses={200: s.ActionSerializer})
    @api_action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        action = self._get("complete")
        data = s.CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_complete(actor=request.user, action=action, **data.validated_data)
        return self._done(action)

    @extend_schema(request=s.VerifySerializer, responses={200: s.ActionSerializer})
    @api_action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        action = self._get("verify")
        data = s.VerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_verify(actor=request.user, action=action, **data.validated_data)
        return self._done(action)

    @extend_schema(request=s.PostponeSerializer, responses={200: s.ActionSerializer})
    @api_action(detail=True, methods=["post"])
    def postpone(self, request, pk=None):
        action = self._get("postpone")
        data = s.PostponeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_postpone(actor=request.user, action=action, **data.validated_data)
        return self._done(action)

    @extend_schema(request=s.CancelSerializer, responses={200: s.ActionSerializer})
    @api_action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        action = self._get("cancel")
        data = s.CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_cancel(actor=request.user, action=action, **data.validated_data)
        return self._done(action)

    @extend_schema(request=s.ReassignSerializer, responses={200: s.ActionSerializer})
    @api_action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        action = self._get("reassign")
        data = s.ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_reassign(actor=request.user, action=action, **data.validated_data)
        return self._done(action)

    @extend_schema(request=s.CommentSerializer, responses={201: s.ActionUpdateSerializer})
    @api_action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        action = self._get("comment")
        data = s.CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.action_comment(actor=request.user, action=action, **data.validated_data)
        return created(s.ActionUpdateSerializer, update, request)


class DuePolicyViewSet(viewsets.ViewSet):
    """Days an action gets by priority. Everyone signed in reads it; administrators set it."""

    @extend_schema(responses={200: s.DuePolicyRowSerializer(many=True)})
    def list(self, request):
        return Response(s.DuePolicyRowSerializer(selectors.due_policy(), many=True).data)

    @extend_schema(request=s.DuePolicyRowSerializer, responses={200: s.DuePolicyRowSerializer(many=True)})
    def create(self, request):
        if not access.can_anywhere(request.user, "action.policy"):
            raise PermissionDenied("Only administrators change the due-date policy.")
        data = s.DuePolicyRowSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            services.due_policy_set(actor=request.user, **data.validated_data)
        return Response(s.DuePolicyRowSerializer(selectors.due_policy(), many=True).data)
