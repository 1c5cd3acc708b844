from rest_framework import serializers

from decisions.choices import DecisionKind, Priority, Severity
from decisions.models import Alarm, AlarmAddressee, AlarmEscalation, Decision, PlannedAction, Signature
from organisation.models import Unit, User


class SignatureSerializer(serializers.ModelSerializer):
    signer_name = serializers.CharField(source="signer.__str__", read_only=True)
    meaning_label = serializers.CharField(source="get_meaning_display", read_only=True)

    class Meta:
        model = Signature
        fields = ["id", "signer", "signer_name", "meaning", "meaning_label", "comment", "signed_at", "content_hash"]
        read_only_fields = fields


class PlannedActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedAction
        fields = ["id", "title", "description", "owner", "due_on", "priority", "opened_action_id"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    approvers = serializers.SerializerMethodField()
    signatures = SignatureSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()
    planned_actions = PlannedActionSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "unit", "kind", "subject", "context", "options", "decision_text", "rationale", "review_on",
                  "status", "author", "revision", "previous", "content_hash", "submitted_at", "decided_at",
                  "withdrawn_reason", "approvers", "signatures", "links", "planned_actions", "created_at"]
        read_only_fields = fields

    def get_approvers(self, obj) -> list[int]:
        return [a.approver_id for a in obj.approvers.all()]

    def get_links(self, obj) -> list[str]:
        return [f"{li.target_type}:{li.target_id}" for li in obj.links.all()]


class PlannedActionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField()
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)


class DecisionWriteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    kind = serializers.ChoiceField(choices=DecisionKind.choices, default=DecisionKind.DECISION)
    subject = serializers.CharField(max_length=300)
    context = serializers.CharField(required=False, allow_blank=True, default="")
    options = serializers.CharField(required=False, allow_blank=True, default="")
    decision_text = serializers.CharField()
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    review_on = serializers.DateField(required=False, allow_null=True, default=None)
    approvers = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)
    links = serializers.ListField(child=serializers.CharField(max_length=120), required=False, default=list)
    planned_actions = PlannedActionWriteSerializer(many=True, required=False, default=list)


class DecisionUpdateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=300, required=False)
    context = serializers.CharField(required=False, allow_blank=True)
    options = serializers.CharField(required=False, allow_blank=True)
    decision_text = serializers.CharField(required=False)
    rationale = serializers.CharField(required=False, allow_blank=True)
    review_on = serializers.DateField(required=False, allow_null=True)
    approvers = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    links = serializers.ListField(child=serializers.CharField(max_length=120), required=False)
    planned_actions = PlannedActionWriteSerializer(many=True, required=False)


class SignSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionsReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AddresseeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.__str__", read_only=True)

    class Meta:
        model = AlarmAddressee
        fields = ["person", "name", "received_at", "respond_by", "acknowledged_at", "answered_at", "answer",
                  "answer_decision", "escalated_from"]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    from_person = serializers.IntegerField(source="from_addressee.person_id", read_only=True)

    class Meta:
        model = AlarmEscalation
        fields = ["id", "from_person", "to_person", "escalated_at"]
        read_only_fields = fields


class AlarmSerializer(serializers.ModelSerializer):
    addressees = AddresseeSerializer(many=True, read_only=True)
    escalations = EscalationSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Alarm
        fields = ["id", "unit", "author", "title", "description", "severity", "raised_at", "respond_by", "status",
                  "closed_at", "closing_note", "withdrawn_reason", "addressees", "escalations", "links"]
        read_only_fields = fields

    def get_links(self, obj) -> list[str]:
        return [f"{li.target_type}:{li.target_id}" for li in obj.links.all()]


class AlarmWriteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    respond_by = serializers.DateTimeField()
    addressees = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)
    links = serializers.ListField(child=serializers.CharField(max_length=120), required=False, default=list)


class AnswerActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField()
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.HIGH)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()
    decision = serializers.PrimaryKeyRelatedField(queryset=Decision.objects.all(), required=False, allow_null=True,
                                                  default=None)
    actions = AnswerActionSerializer(many=True, required=False, default=list)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
