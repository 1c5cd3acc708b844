from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from controls.choices import Answer, ControlKind, FrequencyUnit, InspectionResult
from controls.models import ChecklistItem, Control, Inspection, InspectionAnswer
from organisation.models import Unit, User


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "text", "required"]
        read_only_fields = fields


class ControlSerializer(serializers.ModelSerializer):
    due_state = serializers.CharField(read_only=True, help_text=_("overdue, due_soon, pending or inactive"))
    checklist = serializers.SerializerMethodField()
    risks = serializers.SerializerMethodField()
    requirements = serializers.SerializerMethodField()

    class Meta:
        model = Control
        fields = ["id", "title", "description", "kind", "unit", "owner", "frequency_count", "frequency_unit",
                  "in_service_since", "next_due_on", "due_state", "is_active", "retired_reason", "checklist",
                  "risks", "requirements", "created_at"]
        read_only_fields = fields

    def get_checklist(self, obj) -> list[dict]:
        items = getattr(obj, "active_items", None)
        if items is None:
            items = obj.checklist_items.filter(is_active=True).order_by("position")
        return ChecklistItemSerializer(items, many=True).data

    def _ids(self, obj, name) -> list[int]:
        manager = getattr(obj, name, None)
        return [r.pk for r in manager.all()] if manager is not None else []

    def get_risks(self, obj) -> list[int]:
        return self._ids(obj, "risks")

    def get_requirements(self, obj) -> list[int]:
        return self._ids(obj, "requirements")


class ChecklistInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True,
                                  help_text=_("Id of an item kept from the current checklist; omit for a new one."))
    text = serializers.CharField(max_length=300)
    required = serializers.BooleanField(default=True)


class ControlWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=ControlKind.choices)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    frequency_count = serializers.IntegerField(min_value=1, max_value=10000)
    frequency_unit = serializers.ChoiceField(choices=FrequencyUnit.choices)
    in_service_since = serializers.DateField(required=False)
    next_due_on = serializers.DateField()
    checklist = ChecklistInputSerializer(many=True, required=False, default=list)


class ControlUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ControlKind.choices, required=False)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True), required=False)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)
    frequency_count = serializers.IntegerField(min_value=1, max_value=10000, required=False)
    frequency_unit = serializers.ChoiceField(choices=FrequencyUnit.choices, required=False)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ChecklistSetSerializer(serializers.Serializer):
    items = ChecklistInputSerializer(many=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RescheduleSerializer(serializers.Serializer):
    next_due_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class ControlsReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionAnswer
        fields = ["item", "position", "item_text", "required", "answer", "note"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)
    on_time = serializers.BooleanField(read_only=True)
    corrected_by = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = ["id", "control", "unit", "performed_by", "performed_at", "result", "findings", "due_on",
                  "on_time", "next_due_on", "corrects", "correction_reason", "corrected_by", "answers", "created_at"]
        read_only_fields = fields

    def get_corrected_by(self, obj) -> int | None:
        correction = getattr(obj, "correction", None)
        return correction.pk if correction is not None else None


class AnswerInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    answer = serializers.ChoiceField(choices=Answer.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class InspectionWriteSerializer(serializers.Serializer):
    control = serializers.IntegerField()
    performed_at = serializers.DateTimeField()
    result = serializers.ChoiceField(choices=InspectionResult.choices)
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    answers = AnswerInputSerializer(many=True, required=False, default=list)


class CorrectionWriteSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    performed_at = serializers.DateTimeField()
    result = serializers.ChoiceField(choices=InspectionResult.choices)
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    answers = AnswerInputSerializer(many=True, required=False, default=list)


def answers_dict(rows) -> dict:
    return {str(r["item"]): {"answer": r.get("answer", ""), "note": r.get("note", "")} for r in rows}


class ReportRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    due = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missed = serializers.IntegerField()
    upcoming = serializers.IntegerField()
    failed = serializers.IntegerField()
    partial = serializers.IntegerField()


class ReportMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    due = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missed = serializers.IntegerField()
    upcoming = serializers.IntegerField()
    failed = serializers.IntegerField()
    partial = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    unit = serializers.IntegerField(allow_null=True)
    rows = ReportRowSerializer(many=True)
    total = serializers.DictField(child=serializers.IntegerField())
    months = ReportMonthSerializer(many=True)
