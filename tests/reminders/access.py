import datetime

from django.utils import timezone

from core.models import ChasedItem
from reminders.choices import NotificationKind
from reminders.models import Notification
from tests.access.matrix import Route, api_expect, expect


def _notification(org):
    item = ChasedItem.objects.create(
        kind="action",
        target_type="organisation.unit",
        target_id=str(org.assembly.pk),
        recipient=org.staff,
        unit_path=org.assembly.path,
        title="Guard",
        url="/",
        due_at=timezone.now() + datetime.timedelta(days=3),
    )
    return Notification.objects.create(item=item, recipient=org.staff, kind=NotificationKind.REMINDER, sequence=1)


def routes(org):
    note = _notification(org)
    company = org.company
    own_only = expect(404, staff=302)
    return {
        "reminders:inbox": Route("/reminders/inbox/", expect(200)),
        "reminders:inbox_read_all": Route("/reminders/inbox/read-all/", expect(302), method="POST"),
        # Only one's own notifications exist for the caller.
        "reminders:notification_open": Route(f"/reminders/inbox/{note.pk}/", own_only),
        "reminders:notification_read": Route(f"/reminders/inbox/{note.pk}/read/", own_only, method="POST"),
        "reminders:remind_now": Route(
            "/reminders/remind/",
            expect(403, admin=302, qse=302, sibling=404, outsider=404, auditor_expired=404),
            method="POST",
            data={"target_type": "organisation.unit", "target_id": str(org.assembly.pk)},
        ),
        "reminders:policy_list": Route("/reminders/policies/", expect(403, admin=200)),
        # The company is above everyone's units but the administrator's: not visible, so 404.
        "reminders:policy_edit": Route(f"/reminders/policies/{company.pk}/action/", expect(404, admin=200)),
        "reminder-policy-list": Route("/api/v1/reminder-policies/", api_expect(200)),
        "reminder-policy-detail": Route("/api/v1/reminder-policies/999999/", api_expect(404)),
        "notification-list": Route("/api/v1/notifications/", api_expect(200)),
        "notification-detail": Route(f"/api/v1/notifications/{note.pk}/", api_expect(404, staff=200)),
        "notification-read": Route(f"/api/v1/notifications/{note.pk}/read/", api_expect(404, staff=200), method="POST"),
    }
