"""My work panels: my actions due; actions waiting for my verification; overdue in my units.

Each runs a fixed number of queries (two per list: the rows and the count), whatever the data size.
"""

from actions import selectors
from core import access, dashboard


def my_actions_panel(request):
    user = request.user
    if not user.is_authenticated or access.is_auditor_only(user):
        return None
    mine, counts = selectors.my_actions_due(user)
    to_verify, to_verify_count = (
        selectors.actions_to_verify(user) if access.can_anywhere(user, "action.verify") else ([], 0)
    )
    overdue, overdue_count = selectors.overdue_in_units(user) if access.can_anywhere(user, "action.manage") else ([], 0)
    if not (mine or to_verify or overdue):
        return None
    return dashboard.Panel(
        "actions/_dashboard_actions.html",
        {
            "my_actions": mine,
            "my_total": counts["total"],
            "my_overdue": counts["overdue"],
            "to_verify": to_verify,
            "to_verify_count": to_verify_count,
            "unit_overdue": overdue,
            "unit_overdue_count": overdue_count,
        },
        order=30,
    )


dashboard.register(my_actions_panel)
