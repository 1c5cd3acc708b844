import datetime
import smtplib

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from core import chase, ledger
from core.models import ChasedItem, LedgerEntry
from organisation.services import person_set_preferences
from reminders import conf, scanner, selectors, sender
from reminders.choices import NotificationStatus
from reminders.models import Digest, Notification
from tests.reminders.helpers import open_item

pytestmark = pytest.mark.django_db


def queue(item):
    ChasedItem.objects.filter(pk=item.pk).update(next_reminder_at=timezone.now() - datetime.timedelta(minutes=1))
    scanner.scan()


def test_send_delivers_marks_sent_and_records_in_the_ledger(org, mailoutbox, settings):
    settings.SITE_URL = "https://siris.example"
    item = open_item(org.assembly, org.staff, title="Check the <press> guard", url="/actions/7/")
    queue(item)
    result = sender.send_due()
    assert result.sent == 1
    [mail] = mailoutbox
    assert mail.to == ["staff@acme.test"]
    assert "https://siris.example/actions/7/" in mail.body
    html = mail.alternatives[0][0]
    assert "Check the &lt;press&gt; guard" in html and "<press>" not in html
    note = Notification.objects.get()
    assert note.status == NotificationStatus.SENT and note.sent_at is not None
    entry = LedgerEntry.objects.get(event_type="REMINDER_SENT")
    assert (entry.target_type, entry.target_id) == ("organisation.unit", str(org.assembly.pk))
    assert entry.unit_path == org.assembly.path and note.ledger_seq == entry.seq
    assert entry.payload["recipient"] == org.staff.pk and entry.payload["sequence"] == 1
    assert entry in list(ledger.timeline(org.assembly))
    assert ledger.verify().ok
    # Sending again sends nothing more.
    assert sender.send_due().sent == 0 and len(mailoutbox) == 1


def test_e_mail_is_in_the_recipients_language(org, mailoutbox):
    person_set_preferences(actor=org.root, person=org.qse, language="fr")
    item = open_item(org.lyon, org.qse, title="Revue de direction")
    queue(item)
    sender.send_due()
    # The message catalogues are compiled by the lead; dates show the language switch on their own.
    with translation.override("fr"), timezone.override(org.qse.time_zone):
        french_date = date_format(timezone.localtime(item.due_at), "DATE_FORMAT")
    with translation.override("en"):
        english_date = date_format(timezone.localtime(item.due_at), "DATE_FORMAT")
    assert french_date != english_date
    assert french_date in mailoutbox[0].body and "Revue de direction" in mailoutbox[0].subject


def test_escalation_mail_names_the_person_who_did_not_act(org, mailoutbox):
    item = open_item(org.assembly, org.staff, kind="acknowledgement", title="Read the lockout rule")
    for _ in range(3):
        queue(item)
    sender.send_due()
    to_manager = [m for m in mailoutbox if m.to == ["manager@acme.test"]]
    assert len(to_manager) == 1 and "Sam Staff" in to_manager[0].subject
    entry = LedgerEntry.objects.get(event_type="ESCALATION_SENT")
    assert entry.payload["about"] == org.staff.pk and entry.payload["recipient"] == org.manager.pk
    summary = selectors.reminders_summary(org.assembly)
    assert len(summary["reminders"]) == 3 and [e["to"] for e in summary["escalations"]] == ["Mona Manager"]


def test_a_refused_message_gets_its_reason_and_a_retry_time(org, monkeypatch):
    item = open_item(org.assembly, org.staff)
    queue(item)

    def refuse(self):
        raise smtplib.SMTPRecipientsRefused({"staff@acme.test": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    before = timezone.now()
    assert sender.send_due().failed == 1
    note = Notification.objects.get()
    assert note.status == NotificationStatus.PENDING and note.attempts == 1
    assert "SMTPRecipientsRefused" in note.last_error
    assert note.send_after >= before + datetime.timedelta(seconds=59)
    assert not LedgerEntry.objects.filter(event_type="REMINDER_SENT").exists()
    # Not retried before its time; failed for good after the last attempt.
    assert sender.send_due().failed == 0
    Notification.objects.filter(pk=note.pk).update(send_after=timezone.now(), attempts=conf.MAX_ATTEMPTS - 1)
    sender.send_due()
    assert Notification.objects.get().status == NotificationStatus.FAILED


def test_an_item_done_in_the_meantime_is_not_sent(org, mailoutbox):
    item = open_item(org.assembly, org.staff)
    queue(item)
    chase.close(target=org.assembly)
    assert sender.send_due().cancelled == 1
    assert not mailoutbox and Notification.objects.get().status == NotificationStatus.CANCELLED


def test_rows_leased_by_another_sender_are_left_alone_until_the_lease_ends(org, mailoutbox):
    item = open_item(org.assembly, org.staff)
    queue(item)
    token, rows = sender.claim(10)
    assert len(rows) == 1
    assert sender.send_due().sent == 0  # still leased
    Notification.objects.filter(pk=rows[0].pk).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    assert sender.send_due().sent == 1
    # The first sender, late, cannot mark it a second time.
    assert sender._mark_sent(rows[0], token) is False
    assert LedgerEntry.objects.filter(event_type="REMINDER_SENT").count() == 1


def test_digest_sends_one_mail_a_day_listing_everything(org, mailoutbox, settings):
    import time_machine

    person_set_preferences(actor=org.root, person=org.staff, wants_digest=True)
    first = open_item(org.assembly, org.staff, title="First thing")
    second = open_item(org.paint, org.staff, title="Second thing")
    alarm = open_item(org.lyon, org.staff, kind="alarm", title="Broken guard")
    for item in (first, second, alarm):
        queue(item)
    assert sender.send_due().sent == 1  # the alarm only
    assert mailoutbox[0].subject.endswith("Broken guard")
    morning = timezone.localtime().replace(hour=conf.DIGEST_HOUR, minute=5)
    with time_machine.travel(morning + datetime.timedelta(days=1), tick=False):
        assert sender.send_digests() == 1
        assert sender.send_digests() == 0
    digest = mailoutbox[1]
    assert "First thing" in digest.body and "Second thing" in digest.body
    assert Digest.objects.get().count == 2
    assert LedgerEntry.objects.filter(event_type="REMINDER_SENT", payload__channel="digest").count() == 2


def test_digest_waits_for_the_morning(org, mailoutbox):
    import time_machine

    person_set_preferences(actor=org.root, person=org.staff, wants_digest=True)
    queue(open_item(org.assembly, org.staff))
    night = timezone.localtime().replace(hour=max(conf.DIGEST_HOUR - 2, 0), minute=0) + datetime.timedelta(days=1)
    with time_machine.travel(night, tick=False):
        assert sender.send_digests() == 0
    assert not mailoutbox
