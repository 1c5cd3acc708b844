from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organisation.choices import ASSIGNABLE_ROLES, Language, Role, UnitKind
from organisation.models import Membership, Unit, User


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "kind", "name", "code", "parent", "path", "headcount", "is_active", "created_at"]
        read_only_fields = fields


class UnitWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    name = serializers.CharField(max_length=150)
    code = serializers.SlugField(max_length=40)
    parent = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    headcount = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "first_name", "last_name", "email", "job_title", "language",
                  "time_zone", "manager", "is_active"]
        read_only_fields = fields


class PersonWriteSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    job_title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                                 allow_null=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True),
                                              help_text=_("The unit of the person's first role."))
    role = serializers.ChoiceField(choices=ASSIGNABLE_ROLES)


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "user", "unit", "role", "starts_on", "ends_on", "note"]
        read_only_fields = fields


class MembershipWriteSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    role = serializers.ChoiceField(choices=Role.choices)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class EndSerializer(serializers.Serializer):
    ends_on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
