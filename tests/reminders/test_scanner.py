import datetime

import pytest
import time_machine
from django.utils import timezone

from core.models import ChasedItem
from organisation.services import person_set_preferences
from reminders import scanner
from reminders.choices import NotificationKind, NotificationStatus
from reminders.models import Notification
from tests.reminders.helpers import many_items, open_item

pytestmark = pytest.mark.django_db


def due_now(item, minutes=1):
    ChasedItem.objects.filter(pk=item.pk).update(next_reminder_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_open_sets_the_first_reminder_from_the_policy(org):
    item = open_item(org.assembly, org.staff, kind="acknowledgement")
    opened = timezone.localtime(item.opened_at).date()
    assert timezone.localtime(item.next_reminder_at).date() == opened + datetime.timedelta(days=3)
    assert timezone.localtime(item.next_reminder_at).hour == 8


def test_scan_writes_one_reminder_per_due_item_and_moves_the_next_date(org):
    item = open_item(org.assembly, org.staff)
    later = open_item(org.lyon, org.sibling)
    due_now(item)
    result = scanner.scan()
    assert (result.items, result.reminders, result.escalations) == (1, 1, 0)
    note = Notification.objects.get()
    assert (note.item_id, note.recipient_id, note.kind, note.sequence, note.status) == (
        item.pk,
        org.staff.pk,
        NotificationKind.REMINDER,
        1,
        NotificationStatus.PENDING,
    )
    item.refresh_from_db()
    assert item.reminders_sent == 1 and item.next_reminder_at > timezone.now()
    later.refresh_from_db()
    assert later.reminders_sent == 0


def test_a_second_scan_writes_nothing(org):
    due_now(open_item(org.assembly, org.staff))
    scanner.scan()
    assert scanner.scan().items == 0
    assert Notification.objects.count() == 1


def test_the_unique_constraint_absorbs_a_replayed_scan(org):
    item = open_item(org.assembly, org.staff)
    due_now(item)
    scanner.scan()
    # Replay as if the item's update had been lost: same sequence again, nothing new is written.
    ChasedItem.objects.filter(pk=item.pk).update(reminders_sent=0, next_reminder_at=timezone.now())
    result = scanner.scan()
    assert result.items == 1 and result.reminders == 0
    assert Notification.objects.count() == 1


def test_escalation_goes_to_the_manager_after_the_second_unanswered_reminder(org):
    item = open_item(org.assembly, org.staff, kind="acknowledgement")
    for _ in range(3):
        due_now(item)
        scanner.scan()
    escalation = Notification.objects.get(kind=NotificationKind.ESCALATION)
    assert escalation.recipient == org.manager and escalation.about == org.staff and escalation.sequence == 1
    item.refresh_from_db()
    assert item.reminders_sent == 3 and item.escalation_level == 1
    assert Notification.objects.filter(kind=NotificationKind.REMINDER).count() == 3


def test_second_escalation_goes_to_the_managers_manager(org):
    item = open_item(org.assembly, org.staff, kind="acknowledgement")
    for _ in range(7):
        due_now(item)
        scanner.scan()
    levels = dict(Notification.objects.filter(kind=NotificationKind.ESCALATION).values_list("sequence", "recipient"))
    assert levels == {1: org.manager.pk, 2: org.qse.pk}


def test_no_manager_means_no_escalation_row(org):
    item = open_item(org.warehouse, org.outsider, kind="acknowledgement")
    for _ in range(4):
        due_now(item)
        scanner.scan()
    assert not Notification.objects.filter(kind=NotificationKind.ESCALATION).exists()


def test_closed_items_are_not_scanned(org):
    from core import chase

    item = open_item(org.assembly, org.staff)
    due_now(item)
    chase.close(target=org.assembly)
    assert scanner.scan().items == 0


def test_digest_people_get_digest_rows_but_alarms_and_escalations_go_at_once(org):
    person_set_preferences(actor=org.root, person=org.staff, wants_digest=True)
    action = open_item(org.assembly, org.staff)
    alarm = open_item(org.lyon, org.staff, kind="alarm")
    due_now(action)
    due_now(alarm)
    scanner.scan()
    assert Notification.objects.get(item=action).digest is True
    assert Notification.objects.get(item=alarm).digest is False


def test_catch_up_after_an_outage_sends_one_reminder(org):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        item = open_item(org.assembly, org.staff, kind="acknowledgement")
    # Nothing ran from the 1st to the 20th: one reminder, then the next weekly point after today.
    with time_machine.travel(datetime.datetime(2027, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        assert scanner.scan().reminders == 1
    item.refresh_from_db()
    assert timezone.localtime(item.next_reminder_at).date() == datetime.date(2027, 3, 22)
    assert Notification.objects.count() == 1


def test_scan_handles_more_items_than_a_chunk(org):
    many_items([org.staff, org.sibling], 250, unit_path=org.assembly.path)
    result = scanner.scan(chunk=100)
    assert result.items == 250 and Notification.objects.count() == 250
    assert not ChasedItem.objects.filter(next_reminder_at__lte=timezone.now()).exists()


def test_company_policy_overrides_the_default(org):
    from reminders.services import reminder_policy_set

    reminder_policy_set(
        actor=org.admin, company=org.company, kind="acknowledgement", offsets=[1], repeat_every_days=0, escalate_after=0
    )
    item = open_item(org.assembly, org.staff, kind="acknowledgement")
    opened = timezone.localtime(item.opened_at).date()
    assert timezone.localtime(item.next_reminder_at).date() == opened + datetime.timedelta(days=1)
    with time_machine.travel(item.next_reminder_at + datetime.timedelta(hours=1)):
        scanner.scan()
    item.refresh_from_db()
    assert item.next_reminder_at is None and item.reminders_sent == 1


def test_array_literals_read_back_exactly():
    from django.db import connection

    texts = ['plain', 'with "quotes"', "back\\slash", "{braces},commas", "NULL", "", "é ü"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[], %s::bigint[], %s::boolean[], %s::float8[]", [
            scanner.pg_array(texts), scanner.pg_array([1, None, 2**40]), scanner.pg_array([True, False, None]),
            scanner.pg_array([1.5, None, 1733300000.123456]),
        ])
        assert cursor.fetchone() == (texts, [1, None, 2**40], [True, False, None], [1.5, None, 1733300000.123456])
    assert scanner.pg_array([3, 1, 2**40], "int") == "{3,1,1099511627776}"


def test_a_notification_to_someone_who_does_not_exist_is_refused(org):
    from django.db import IntegrityError, transaction

    item = open_item(org.assembly, org.staff)
    with pytest.raises(IntegrityError, match="does not exist"), transaction.atomic():
        Notification.objects.create(item=item, recipient_id=987654, kind=NotificationKind.REMINDER, sequence=1)
    with pytest.raises(IntegrityError, match="does not exist"), transaction.atomic():
        Notification.objects.create(
            item=item, recipient=org.manager, about_id=987654, kind=NotificationKind.ESCALATION, sequence=1
        )
    note = Notification.objects.create(item=item, recipient=org.staff, kind=NotificationKind.REMINDER, sequence=1)
    with pytest.raises(IntegrityError, match="does not exist"), transaction.atomic():
        Notification.objects.filter(pk=note.pk).update(recipient_id=987654)
