"""My work panel: delegations waiting for my acceptance."""

from core import dashboard
from delegations import selectors


def delegations_panel(request):
    pending = selectors.delegations_to_accept(request.user)
    if not pending:
        return None
    return dashboard.Panel("delegations/_dashboard_accept.html", {"pending": pending}, order=6)


dashboard.register(delegations_panel)
