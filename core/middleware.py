"""Per-person language and time zone, and the access log of auditors' page views."""

import zoneinfo

from django.utils import timezone, translation

from core import access
from core.models import AccessLog


class PersonPreferencesMiddleware:
    """Activate the signed-in person's language and time zone for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            timezone.deactivate()
            return self.get_response(request)
        try:
            zone = zoneinfo.ZoneInfo(user.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        language = user.language or translation.get_language()
        # Overrides, not activations: the thread goes back to its language and zone after the
        # request, so code that runs next (a task, a test) is not left in this person's language.
        with translation.override(language), timezone.override(zone):
            request.LANGUAGE_CODE = language
            return self.get_response(request)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class AuditorAccessLogMiddleware:
    """Log every page an auditor views (a court may ask what the auditor saw)."""

    SKIP_PREFIXES = ("/static/", "/favicon")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(self.SKIP_PREFIXES)
            and not getattr(request, "_siris_download_logged", False)
            and any(g.role == "auditor" for g in access.grants(user))
        ):
            AccessLog.objects.create(
                user=user,
                kind=AccessLog.Kind.VIEW,
                path=request.get_full_path()[:500],
                method=request.method,
                status_code=response.status_code,
                ip_address=client_ip(request),
            )
        return response
