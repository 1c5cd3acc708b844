from rest_framework import serializers

from organisation.models import Unit, User
from risks.choices import RiskCategory, RiskStatus
from risks.models import Assessment, Risk, RiskMatrix


class RiskMatrixSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskMatrix
        fields = [
            "id",
            "company",
            "version",
            "likelihood_steps",
            "severity_steps",
            "likelihood_labels",
            "severity_labels",
            "thresholds",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class RiskMatrixWriteSerializer(serializers.Serializer):
    company = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    likelihood_labels = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), min_length=3, max_length=6
    )
    severity_labels = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), min_length=3, max_length=6
    )
    thresholds = serializers.ListField(child=serializers.DictField(), min_length=2, max_length=4)
    reason = serializers.CharField(max_length=300)


class AssessmentSerializer(serializers.ModelSerializer):
    matrix_version = serializers.IntegerField(source="matrix.version", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "risk",
            "matrix",
            "matrix_version",
            "assessed_on",
            "assessor",
            "inherent_likelihood",
            "inherent_severity",
            "inherent_score",
            "inherent_level",
            "residual_likelihood",
            "residual_severity",
            "residual_score",
            "residual_level",
            "existing_measures",
            "rationale",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class AssessmentWriteSerializer(serializers.Serializer):
    assessed_on = serializers.DateField()
    inherent_likelihood = serializers.IntegerField()
    inherent_severity = serializers.IntegerField()
    residual_likelihood = serializers.IntegerField()
    residual_severity = serializers.IntegerField()
    existing_measures = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    rationale = serializers.CharField(max_length=5000)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    matrix_version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The matrix version the ratings were chosen on."
    )


class RiskSerializer(serializers.ModelSerializer):
    current_assessment = AssessmentSerializer(read_only=True)
    controls_count = serializers.IntegerField(read_only=True)
    open_actions_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "reference",
            "unit",
            "title",
            "hazard",
            "situation",
            "consequences",
            "category",
            "owner",
            "status",
            "next_review_on",
            "accepted_until",
            "accepted_by_decision_id",
            "current_assessment",
            "controls_count",
            "open_actions_count",
            "created_at",
        ]
        read_only_fields = fields


class RiskWriteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    hazard = serializers.CharField(max_length=300)
    situation = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    consequences = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    category = serializers.ChoiceField(choices=RiskCategory.choices, required=False)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    next_review_on = serializers.DateField(required=False, allow_null=True)


class RiskChangeSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    hazard = serializers.CharField(max_length=300, required=False)
    situation = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    consequences = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    category = serializers.ChoiceField(choices=RiskCategory.choices, required=False)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=RiskStatus.choices, required=False)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class HeatMapCellSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField()
    severity = serializers.IntegerField()
    level = serializers.CharField()
    inherent = serializers.IntegerField()
    residual = serializers.IntegerField()


class HeatMapSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    matrix = serializers.IntegerField(allow_null=True)
    matrix_version = serializers.IntegerField(allow_null=True)
    cells = HeatMapCellSerializer(many=True)
    not_assessed = serializers.IntegerField()
    other_version = serializers.IntegerField()
