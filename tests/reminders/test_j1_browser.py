"""Journey J1 complete, in Chromium: communicate and prove.

A QSE manager creates a requirement, approves and communicates version 1 to the staff of a work
unit; Nina acknowledges from the e-mailed link on a phone, Sam logged in. Omar and Paul do not:
time travels through the acknowledgement policy (day 3, day 7, then weekly; the manager is told at
the third reminder), running the scanner and the sender at each date as beat would. They get their
reminders on the right days, with their personal link; their manager Mona gets one escalation for
each; and the requirement's page, viewed in Chromium, shows every reminder and escalation sent,
newest first.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from core.models import ChasedItem, LedgerEntry
from organisation.choices import Role
from organisation.services import membership_grant
from reminders import scanner, sender
from reminders.models import Notification
from requirements.models import Acknowledgement, Communication
from tests.personas import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LINK = re.compile(r"(http\S+/requirements/link/\S+/)")


def _login(page, base, username, next_url):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def _run_beat_on(day: datetime.date) -> None:
    """What beat does on that day: a scan and a send at 09:00 and at 18:00 (Paris)."""
    for hour in (9, 18):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS), tick=False):
            scanner.scan()
            sender.send_due()


def test_j1_two_who_do_not_acknowledge_are_reminded_and_their_manager_is_told(
    org, live_server, chromium_path, settings
):
    from playwright.sync_api import sync_playwright

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the invitations go out in the web process after commit
    settings.SITE_URL = live_server.url
    base = live_server.url
    nina = make_person(org.root, "nina", "Nina", "Phone", manager=org.manager)
    omar = make_person(org.root, "omar", "Omar", "Late", manager=org.manager)
    paul = make_person(org.root, "paul", "Paul", "Away", manager=org.manager)
    for person in (nina, omar, paul):
        membership_grant(actor=org.root, user=person, unit=org.assembly, role=Role.STAFF)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            # 1. The QSE manager creates, approves and communicates version 1 to the unit's staff.
            qse = browser.new_context().new_page()
            _login(qse, base, "qse", "/requirements/new/")
            qse.select_option("select[name=unit]", str(org.lyon.pk))
            qse.fill("input[name=reference]", "CT L4121-1")
            qse.fill("input[name=title]", "Port des EPI en zone de coulée")
            qse.fill("textarea[name=text]", "Wear the **face shield** at the furnace.")
            qse.locator("form.card button[type=submit]").click()
            qse.wait_for_url(re.compile(r"/requirements/\d+/$"))
            requirement_url = qse.url
            qse.get_by_role("button", name=re.compile("Approve version 1|Approuver")).first.click()
            qse.get_by_role("link", name=re.compile("Communicate|Diffuser")).first.click()
            qse.select_option("select[name=role]", Role.STAFF)
            qse.select_option("select[name=role_units]", [str(org.assembly.pk)])
            qse.locator("form.card button[type=submit]").click()
            qse.wait_for_url(re.compile(r"/requirements/communications/\d+/"))
            assert qse.locator("[data-count=acknowledged]").inner_text() == "0"
            assert qse.locator("[data-count=pending]").inner_text() == "4"  # Sam, Nina, Omar, Paul
            comm_url = qse.url.split("?")[0]
            assert len(mail.outbox) == 4
            [invitation] = _to("nina@acme.test")
            link = LINK.search(invitation.body).group(1)

            # 2. Nina, on a phone, from the e-mailed link: one tap.
            phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
            nina_page = phone.new_page()
            nina_page.goto(link)
            button = nina_page.locator("#ack-confirm")
            box = button.bounding_box()
            assert box["height"] >= 44 and box["x"] + box["width"] <= 375
            assert nina_page.evaluate("document.documentElement.scrollWidth") <= 375
            button.tap()
            nina_page.wait_for_selector("#ack-done")

            # 3. Sam acknowledges logged in. Omar and Paul do nothing.
            sam = browser.new_context().new_page()
            _login(sam, base, "staff", "/requirements/mine/")
            sam.locator("#must-read a").first.click()
            sam.locator("#ack-confirm").click()
            sam.wait_for_selector(".siris-status--acknowledged")
            qse.goto(comm_url)
            assert qse.locator("[data-count=acknowledged]").inner_text() == "2"
            assert qse.locator("[data-count=pending]").inner_text() == "2"

            # 4. Time travels through the policy; the scanner and the sender run at each date.
            communication = Communication.objects.get()
            late = {a.person_id: a for a in communication.acknowledgements.filter(person__in=[omar, paul])}
            items = ChasedItem.objects.filter(target_type="requirements.acknowledgement")
            assert items.filter(closed_at__isnull=True).count() == 2  # the two who answered are no longer chased
            day0 = timezone.localtime(items.first().opened_at, PARIS).date()
            before = len(mail.outbox)
            watched = ("omar@acme.test", "paul@acme.test", "manager@acme.test")
            seen = {address: len(_to(address)) for address in watched}
            sent_on: dict[str, list[int]] = {address: [] for address in watched}
            for offset in range(1, 16):
                _run_beat_on(day0 + datetime.timedelta(days=offset))
                for address in watched:
                    now_seen = len(_to(address))
                    sent_on[address] += [offset] * (now_seen - seen[address])
                    seen[address] = now_seen
            # Day 3 and day 7, then weekly (day 14); the manager at the third reminder.
            assert sent_on == {"omar@acme.test": [3, 7, 14], "paul@acme.test": [3, 7, 14], "manager@acme.test": [14, 14]}
            assert len(mail.outbox) - before == 8  # nothing to Nina, Sam or anyone else
            for person in (omar, paul):
                reminders = _to(person.email)[1:]
                # Each reminder carries the person's own link to that request.
                assert all("/requirements/link/" in m.body for m in reminders)
                assert all(communication.requirement.reference in m.subject for m in reminders)
            escalations = _to("manager@acme.test")
            assert sorted(m.subject.split(":")[0] for m in escalations) == [
                "Not done by Omar Late",
                "Not done by Paul Away",
            ]
            for message in escalations:
                # The manager gets the request's page (not the person's personal link).
                person = omar if "Omar" in message.subject else paul
                assert f"/requirements/acknowledgements/{late[person.pk].pk}/" in message.body
                assert "/requirements/link/" not in message.body

            # Every reminder is a ledger entry whose target is the acknowledgement request.
            entries = LedgerEntry.objects.filter(event_type__in=["REMINDER_SENT", "ESCALATION_SENT"])
            assert entries.count() == 8
            assert {(e.target_type, e.target_id) for e in entries} == {
                ("requirements.acknowledgement", str(a.pk)) for a in late.values()
            }
            assert not Notification.objects.filter(ledger_seq__isnull=True).exists()

            # 5. The requirement's timeline, in Chromium: every reminder and escalation, newest first.
            qse.goto(requirement_url)
            timeline = qse.locator(".siris-timeline-card")
            # Each reason is prefixed by a visually hidden "Reason:" label (translated).
            reasons = [text.split("\n")[-1].strip() for text in timeline.locator(".siris-reason").all_inner_texts()]
            for name in ("Omar Late", "Paul Away"):
                for number in (1, 2, 3):
                    assert f"Reminder {number} to {name}" in reasons
                assert f"Escalation level 1 to Mona Manager: {name} has not acted" in reasons
            assert reasons.index("Escalation level 1 to Mona Manager: Omar Late has not acted") < reasons.index(
                "Reminder 3 to Omar Late"
            ) < reasons.index("Reminder 2 to Omar Late") < reasons.index("Reminder 1 to Omar Late")
            # The times shown are the travelled dates: the last reminders on day 14 at 09:00.
            last = timeline.locator(".siris-timeline-entry").first.locator("time").get_attribute("datetime")
            assert datetime.datetime.fromisoformat(last).date() == day0 + datetime.timedelta(days=14)

            # The tracking page still shows the two pending, and their reminders.
            qse.goto(comm_url + "?status=pending")
            people = qse.locator("#tracking-people").inner_text()
            assert "Omar" in people and "Paul" in people and "Nina" not in people
            assert Acknowledgement.objects.filter(status="acknowledged").count() == 2
        finally:
            browser.close()
