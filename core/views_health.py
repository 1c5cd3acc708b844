from django.db import connection
from django.http import JsonResponse


def health_view(request):
    """Liveness for the load balancer: the database answers. Reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:  # noqa: BLE001 - any database failure means "not healthy", answered as 503
        return JsonResponse({"status": "unavailable"}, status=503)
