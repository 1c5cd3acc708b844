"""My work panel for administrators: auditor access about to end, people without a manager."""

import datetime

from django.utils import timezone

from core import access, dashboard
from organisation.choices import Role
from organisation.models import Membership, User


def admin_panel(request):
    user = request.user
    if not access.can_anywhere(user, "organisation.manage"):
        return None
    today = timezone.localdate()
    grants = access.visible_to(
        Membership.objects.active(today).filter(role=Role.AUDITOR, ends_on__lte=today + datetime.timedelta(days=7)),
        user,
        roles={Role.ADMINISTRATOR},
    ).select_related("user", "unit")[:20]
    in_scope = access.visible_to(Membership.objects.active(today), user, roles={Role.ADMINISTRATOR})
    without_manager = (
        User.objects.filter(is_active=True, manager__isnull=True, memberships__in=in_scope)
        .exclude(memberships__role=Role.ADMINISTRATOR)
        .distinct()
        .count()
    )
    return dashboard.Panel(
        "organisation/_dashboard_admin.html",
        {"ending_grants": list(grants), "without_manager": without_manager},
        order=80,
    )


dashboard.register(admin_panel)
