"""Serving files people may download: permission checked by the caller, logged here."""

from django.http import FileResponse

from core.middleware import client_ip
from core.models import AccessLog


def logged_file_response(request, fileobj, *, filename: str, content_type: str, target=None) -> FileResponse:
    """An attachment response (never rendered inline, ``nosniff``) and an access-log row."""
    AccessLog.objects.create(
        user=request.user,
        kind=AccessLog.Kind.DOWNLOAD,
        path=request.get_full_path()[:500],
        method=request.method,
        target_type=f"{target._meta.app_label}.{target._meta.model_name}" if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        ip_address=client_ip(request),
    )
    request._siris_download_logged = True
    response = FileResponse(fileobj, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
