"""My work panels: alarms addressed to me at the very top, decisions waiting for my signature."""

from django.utils import timezone

from core import access, dashboard
from decisions import selectors


def alarms_panel(request):
    """Alarms waiting for my answer (order 1: above everything), and the open ones I raised."""
    user = request.user
    waiting = selectors.alarms_for_dashboard(user)
    raised = selectors.alarms_raised_open(user) if access.can_anywhere(user, "alarm.raise") else []
    if not waiting and not raised:
        return None
    return dashboard.Panel("decisions/_dashboard_alarms.html",
                           {"waiting": waiting, "raised": raised, "now": timezone.now()}, order=1)


def signatures_panel(request):
    pending = selectors.decisions_to_sign(request.user)
    if not pending:
        return None
    return dashboard.Panel("decisions/_dashboard_sign.html", {"pending": pending}, order=5)


dashboard.register(alarms_panel)
dashboard.register(signatures_panel)
