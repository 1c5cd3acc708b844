from rest_framework import serializers

from reminders.choices import Anchor, ChaseKind
from reminders.models import Notification, ReminderPolicy


class PolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReminderPolicy
        fields = [
            "id",
            "company",
            "kind",
            "anchor",
            "offsets",
            "repeat_every_days",
            "escalate_after",
            "escalate_again_after",
            "send_hour",
            "enabled",
        ]
        read_only_fields = fields


class PolicyWriteSerializer(serializers.Serializer):
    company = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ChaseKind.choices)
    anchor = serializers.ChoiceField(choices=Anchor.choices, required=False)
    offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=-365, max_value=365), max_length=10, required=False
    )
    repeat_every_days = serializers.IntegerField(min_value=0, max_value=365, required=False)
    escalate_after = serializers.IntegerField(min_value=0, max_value=50, required=False)
    escalate_again_after = serializers.IntegerField(min_value=0, max_value=50, required=False)
    send_hour = serializers.IntegerField(min_value=0, max_value=23, required=False)
    enabled = serializers.BooleanField(required=False)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="item.title", read_only=True)
    url = serializers.CharField(source="item.url", read_only=True)
    item_kind = serializers.CharField(source="item.kind", read_only=True)
    target_type = serializers.CharField(source="item.target_type", read_only=True)
    target_id = serializers.CharField(source="item.target_id", read_only=True)
    due_at = serializers.DateTimeField(source="item.due_at", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "sequence",
            "title",
            "url",
            "item_kind",
            "target_type",
            "target_id",
            "due_at",
            "about",
            "status",
            "created_at",
            "sent_at",
            "read_at",
        ]
        read_only_fields = fields
