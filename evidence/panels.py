"""My work panels: evidence of mine that expires soon, and my dossiers (two queries each at most)."""

import datetime

from django.utils import timezone

from core.dashboard import Panel
from evidence.choices import DossierStatus
from evidence.models import DossierRequest, Evidence

EXPIRY_WARNING = datetime.timedelta(days=30)


def expiring_evidence_panel(request):
    """Current evidence I uploaded that expires within 30 days (or has expired)."""
    if not request.user.is_authenticated:
        return None
    soon = timezone.localdate() + EXPIRY_WARNING
    items = list(Evidence.objects.filter(uploaded_by=request.user, expires_on__isnull=False, expires_on__lte=soon,
                                         superseded_by__isnull=True).order_by("expires_on")[:10])
    if not items:
        return None
    return Panel("evidence/panels/expiring.html", {"items": items, "today": timezone.localdate()}, order=40)


def my_dossiers_panel(request):
    if not request.user.is_authenticated:
        return None
    items = list(DossierRequest.objects.filter(requested_by=request.user)
                 .exclude(status=DossierStatus.DONE, finished_at__lt=timezone.now() - datetime.timedelta(days=7))
                 .select_related("progress").order_by("-created_at")[:5])
    if not items:
        return None
    return Panel("evidence/panels/dossiers.html", {"items": items}, order=70)
