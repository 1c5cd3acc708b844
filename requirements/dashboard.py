"""My work panels: what I must read (everyone), and open communications' progress (QSE managers)."""

from django.db.models import Count, Q

from core import access, dashboard
from requirements import selectors
from requirements.choices import AckStatus, CommunicationStatus


def must_read_panel(request):
    """Two queries: the first ten pending requests and their count."""
    pending = selectors.my_pending(request.user)
    items = list(pending[:10])
    if not items:
        return None
    return dashboard.Panel(
        "requirements/_dashboard_must_read.html",
        {"must_read": items, "must_read_count": pending.count()},
        order=10,
    )


def communications_panel(request):
    """One query: the ten latest open communications of my units with their counts."""
    if not access.can_anywhere(request.user, "requirement.communicate"):
        return None
    rows = list(
        selectors.communications_visible_to(request.user)
        .filter(status=CommunicationStatus.OPEN)
        .annotate(
            total=Count("acknowledgements"),
            done=Count("acknowledgements", filter=~Q(acknowledgements__status=AckStatus.PENDING)),
        )
        .order_by("-sent_at")[:10]
    )
    for row in rows:
        row.percent = round(100 * row.done / row.total) if row.total else 0
    return dashboard.Panel("requirements/_dashboard_communications.html", {"open_communications": rows}, order=40)


dashboard.register(must_read_panel)
dashboard.register(communications_panel)
