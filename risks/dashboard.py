"""My work panels: risk reviews due for their owners; stale risks for QSE managers."""

from core import access, dashboard
from core.dashboard import Panel
from organisation.choices import Role
from risks import selectors


def reviews_panel(request):
    """Risks the person owns whose review date has passed (one query)."""
    rows = list(selectors.reviews_due(request.user))
    if not rows:
        return None
    return Panel("risks/_dashboard_reviews.html", {"risk_reviews": rows}, order=40)


def stale_panel(request):
    """For QSE managers: risks never assessed and risks past their review in their units (one query)."""
    if not access.can_anywhere(request.user, "risk.assess") or access.is_superuser(request.user):
        return None
    if not any(g.role == Role.QSE_MANAGER for g in access.grants(request.user)):
        return None
    counts = selectors.stale_counts(request.user)
    if not counts["never"] and not counts["overdue"]:
        return None
    return Panel("risks/_dashboard_stale.html", {"risk_counts": counts}, order=45)


dashboard.register(reviews_panel)
dashboard.register(stale_panel)
