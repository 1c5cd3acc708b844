from rest_framework import serializers

from organisation.choices import Role
from organisation.models import Unit, User
from requirements.choices import EvaluationResult, SourceKind, TextFormat
from requirements.models import (
    Acknowledgement,
    Applicability,
    Communication,
    Evaluation,
    Requirement,
    RequirementVersion,
    Source,
)


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "unit", "kind", "reference", "title", "url", "created_at"]
        read_only_fields = fields


class SourceWriteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    reference = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=300)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True)


class RequirementSerializer(serializers.ModelSerializer):
    current_version = serializers.IntegerField(source="current_number", read_only=True, allow_null=True)

    class Meta:
        model = Requirement
        fields = [
            "id",
            "unit",
            "reference",
            "title",
            "source",
            "owner",
            "review_every_months",
            "next_review_on",
            "is_active",
            "current_version",
            "created_at",
        ]
        read_only_fields = fields


class RequirementWriteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    reference = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=300)
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all(), required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)
    text = serializers.CharField()
    text_format = serializers.ChoiceField(choices=TextFormat.choices, required=False)
    effective_on = serializers.DateField(required=False)
    review_every_months = serializers.IntegerField(min_value=1, max_value=120, required=False)


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequirementVersion
        fields = [
            "id",
            "requirement",
            "number",
            "text",
            "text_format",
            "text_sha256",
            "effective_on",
            "change_note",
            "approved_by",
            "approved_at",
            "created_at",
        ]
        read_only_fields = fields


class VersionWriteSerializer(serializers.Serializer):
    requirement = serializers.PrimaryKeyRelatedField(queryset=Requirement.objects.all())
    text = serializers.CharField()
    text_format = serializers.ChoiceField(choices=TextFormat.choices, required=False)
    effective_on = serializers.DateField(required=False)
    change_note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ApplicabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Applicability
        fields = ["id", "requirement", "unit", "applicable", "reason", "decided_by", "created_at"]
        read_only_fields = fields


class ApplicabilityWriteSerializer(serializers.Serializer):
    requirement = serializers.PrimaryKeyRelatedField(queryset=Requirement.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    applicable = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = [
            "id",
            "requirement",
            "unit",
            "version",
            "result",
            "evaluated_on",
            "evaluator",
            "comment",
            "next_due_on",
            "created_at",
        ]
        read_only_fields = fields


class EvaluationWriteSerializer(serializers.Serializer):
    requirement = serializers.PrimaryKeyRelatedField(queryset=Requirement.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    result = serializers.ChoiceField(choices=EvaluationResult.choices)
    evaluated_on = serializers.DateField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True)


class CommunicationSerializer(serializers.ModelSerializer):
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Communication
        fields = [
            "id",
            "requirement",
            "version",
            "version_number",
            "message",
            "due_on",
            "status",
            "sent_by",
            "sent_at",
            "recipients_count",
            "recipients_sha256",
            "invitations_sent_at",
            "superseded_by",
            "counts",
        ]
        read_only_fields = fields

    def get_counts(self, obj) -> dict:
        counts = getattr(obj, "api_counts", None)
        if counts is None:
            from requirements.selectors import status_counts

            counts = status_counts(obj.acknowledgements.all())
        return {k: counts[k] for k in ("total", "acknowledged", "pending", "declined", "exempted")}


class RoleEntrySerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    role = serializers.ChoiceField(choices=[c for c in Role.choices if c[0] != Role.AUDITOR])


class CommunicationWriteSerializer(serializers.Serializer):
    version = serializers.PrimaryKeyRelatedField(queryset=RequirementVersion.objects.all())
    due_on = serializers.DateField()
    message = serializers.CharField(required=False, allow_blank=True)
    people = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), many=True, required=False)
    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True), many=True, required=False)
    roles = RoleEntrySerializer(many=True, required=False)


class AcknowledgementSerializer(serializers.ModelSerializer):
    requirement = serializers.IntegerField(source="communication.requirement_id", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    person_name = serializers.CharField(source="person.get_full_name", read_only=True)

    class Meta:
        model = Acknowledgement
        fields = [
            "id",
            "communication",
            "requirement",
            "version",
            "version_number",
            "person",
            "person_name",
            "unit",
            "status",
            "answered_at",
            "text_sha256",
            "reason",
            "channel",
            "ip_address",
            "user_agent",
            "exempted_by",
        ]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
