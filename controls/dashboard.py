"""My work panel: my inspections due (owner), and overdue inspections of the units where I am a
QSE manager. Three queries at most, whatever the number of controls."""

from django.utils import timezone

from controls import selectors
from core import access, dashboard
from organisation.choices import Role


def inspections_panel(request):
    user = request.user
    today = timezone.localdate()
    mine = selectors.owned_due(user, today)
    is_qse = any(g.role == Role.QSE_MANAGER for g in access.grants(user))
    overdue_count, overdue = selectors.overdue_in_units(user, {Role.QSE_MANAGER}, today) if is_qse else (0, [])
    if not mine and not is_qse:
        return None
    return dashboard.Panel("controls/_dashboard.html", {
        "my_inspections": [(c, c.due_state(today)) for c in mine],
        "is_qse": is_qse,
        "overdue_count": overdue_count,
        "overdue": [(c, (today - c.next_due_on).days) for c in overdue],
    }, order=30)


dashboard.register(inspections_panel)
