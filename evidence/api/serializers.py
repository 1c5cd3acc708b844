from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evidence.choices import DossierKind
from evidence.models import DossierRequest, Evidence
from organisation.models import Unit


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.get_username", read_only=True)
    superseded_by = serializers.SerializerMethodField()
    record = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "record", "target_label", "unit", "title", "note", "original_name", "size", "sha256",
                  "kind", "content_type", "uploaded_by", "created_at", "effective_on", "effective_until",
                  "expires_on", "version", "supersedes", "superseded_by"]
        read_only_fields = fields

    def get_record(self, obj) -> str:
        return f"{obj.target_type}:{obj.target_id}"

    def get_superseded_by(self, obj) -> int | None:
        newer = getattr(obj, "superseded_by", None)
        return newer.pk if newer is not None else None


class EvidenceUploadSerializer(serializers.Serializer):
    record = serializers.CharField(help_text=_('The record, as "app_label.model:id", e.g. "risks.risk:12".'))
    file = serializers.FileField(allow_empty_file=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    effective_on = serializers.DateField(required=False)
    effective_until = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class EvidenceSupersedeSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    reason = serializers.CharField(max_length=300)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    effective_on = serializers.DateField(required=False)
    effective_until = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class DossierSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True)
    progress = serializers.SerializerMethodField()
    record = serializers.SerializerMethodField()

    class Meta:
        model = DossierRequest
        fields = ["id", "reference", "kind", "unit", "record", "scope_label", "period_start", "period_end", "as_of",
                  "requested_by", "created_at", "status", "progress", "error", "sha256", "size", "page_count",
                  "finished_at", "duerp_version"]
        read_only_fields = fields

    def get_progress(self, obj) -> int:
        progress = getattr(obj, "progress", None)
        return progress.percent if progress is not None else 0

    def get_record(self, obj) -> str:
        return f"{obj.target_type}:{obj.target_id}" if obj.target_type else ""


class DossierCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DossierKind.choices)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True), required=False)
    record = serializers.CharField(required=False, help_text=_('Record dossier: "app_label.model:id".'))
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    as_of = serializers.DateField(required=False, help_text=_("Inquiry dossier: the date of the event."))


class DossierVerifySerializer(serializers.Serializer):
    file = serializers.FileField(required=False)
    sha256 = serializers.CharField(required=False, max_length=100)


class VerifyResultSerializer(serializers.Serializer):
    sha256 = serializers.CharField()
    issued = serializers.BooleanField()
    reference = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    scope = serializers.CharField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    ledger_seq = serializers.IntegerField(allow_null=True)
