from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from actions.choices import ActionKind, OriginType, Priority
from actions.models import Action, ActionUpdate, DuePolicy
from organisation.models import Unit, User


class ActionSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "kind",
            "priority",
            "status",
            "unit",
            "unit_name",
            "owner",
            "owner_name",
            "contributors",
            "due_on",
            "first_due_on",
            "is_overdue",
            "postponements",
            "reopened",
            "origin_type",
            "origin_id",
            "origin_label",
            "created_at",
            "created_by",
            "started_at",
            "completed_at",
            "completed_by",
            "completion_note",
            "verified_at",
            "verified_by",
            "verification_note",
            "closed_at",
            "cancelled_at",
            "cancel_reason",
            "version",
        ]
        read_only_fields = fields


class ActionListSerializer(serializers.ModelSerializer):
    """The list shape: no many-to-many, so a page costs the same queries at any size."""

    reference = serializers.CharField(read_only=True)
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "reference",
            "title",
            "kind",
            "priority",
            "status",
            "unit",
            "unit_name",
            "owner",
            "owner_name",
            "due_on",
            "origin_type",
            "origin_id",
            "version",
        ]
        read_only_fields = fields


class ActionUpdateSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True, default="")

    class Meta:
        model = ActionUpdate
        fields = [
            "id",
            "kind",
            "author",
            "author_name",
            "at",
            "text",
            "old_status",
            "new_status",
            "old_due_on",
            "new_due_on",
        ]
        read_only_fields = fields


class ActionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=ActionKind.choices, default=ActionKind.CORRECTIVE)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    contributors = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False, default=list
    )
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Empty: the due-date policy for the priority."),
    )
    origin_type = serializers.ChoiceField(choices=OriginType.choices, required=False, allow_blank=True, default="")
    origin_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The version you saw; a newer one answers 409."),
    )


class CompleteSerializer(VersionSerializer):
    note = serializers.CharField(allow_blank=True)


class VerifySerializer(VersionSerializer):
    effective = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    new_due_on = serializers.DateField(required=False, allow_null=True, default=None)


class PostponeSerializer(VersionSerializer):
    new_due_on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, max_length=500)


class CancelSerializer(VersionSerializer):
    reason = serializers.CharField(allow_blank=True, max_length=500)


class ReassignSerializer(VersionSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    reason = serializers.CharField(allow_blank=True, max_length=500)


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=4000)


class DuePolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = DuePolicy
        fields = ["priority", "days"]


class DuePolicyRowSerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices)
    days = serializers.IntegerField(min_value=1, max_value=730)
    is_default = serializers.BooleanField(read_only=True)
