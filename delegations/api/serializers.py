from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from delegations.choices import Domain
from delegations.models import Delegation
from organisation.models import Unit, User


class DelegationSerializer(serializers.ModelSerializer):
    units = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = ["id", "delegator", "delegate", "parent", "units", "domains", "competence", "authority", "means",
                  "budget", "starts_on", "ends_on", "status", "proposed_by", "proposed_at", "accepted_at",
                  "acceptance_hash", "refused_at", "refusal_reason", "revoked_at", "revoke_reason"]
        read_only_fields = fields

    def get_units(self, obj) -> list[int]:
        return [u.pk for u in obj.units.all()]


class DelegationWriteSerializer(serializers.Serializer):
    delegator = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                                   help_text=_("Defaults to the caller."))
    delegate = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    parent = serializers.PrimaryKeyRelatedField(queryset=Delegation.objects.all(), required=False, allow_null=True,
                                                default=None)
    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True), many=True)
    domains = serializers.ListField(child=serializers.ChoiceField(choices=Domain.choices), min_length=1)
    competence = serializers.CharField()
    authority = serializers.CharField()
    means = serializers.CharField()
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True,
                                      default=None)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class AcceptSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class DelegationsReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class MapQuerySerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    on = serializers.DateField()
