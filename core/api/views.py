from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    language = serializers.CharField()
    time_zone = serializers.CharField()
    roles = serializers.ListField(child=serializers.DictField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me_view(request):
    """Who the token or session belongs to, and their active roles."""
    from core import access

    user = request.user
    return Response(
        {
            "id": user.pk,
            "username": user.username,
            "name": user.get_full_name(),
            "language": user.language,
            "time_zone": user.time_zone,
            "roles": [{"unit": g.unit_id, "role": g.role} for g in access.grants(user)],
        }
    )
