import datetime

import pytest
from django.core import mail

from core.models import LedgerEntry
from requirements import services
from requirements.choices import AckStatus
from requirements.links import make_token
from requirements.models import Acknowledgement, Requirement

pytestmark = pytest.mark.django_db


def test_create_approve_communicate_through_screens(org, client_for, today):
    client = client_for(org.qse)
    response = client.post(
        "/requirements/new/",
        {
            "unit": org.lyon.pk,
            "reference": "ISO 45001 7.4",
            "title": "Communication",
            "owner": org.qse.pk,
            "review_every_months": 12,
            "text": "Tell people.",
            "text_format": "markdown",
            "effective_on": today.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    req = Requirement.objects.get(reference="ISO 45001 7.4")
    version = req.versions.get()
    assert client.post(f"/requirements/versions/{version.pk}/approve/").status_code == 302
    response = client.post(
        f"/requirements/{req.pk}/communicate/",
        {"units": [org.assembly.pk], "due_on": (today + datetime.timedelta(days=3)).isoformat(), "message": "Hi"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b'data-count="pending">2<' in page.content
    detail = client.get(f"/requirements/{req.pk}/")
    assert b"Version communicated" in detail.content or b"REQUIREMENT_COMMUNICATED" not in detail.content


def _comm(org, today):
    req = services.requirement_create(
        actor=org.qse, unit=org.lyon, reference="R", title="T", owner=org.qse, text="Text"
    )
    version = services.version_approve(actor=org.qse, version=req.versions.get())
    return services.requirement_communicate(
        actor=org.qse, version=version, units=[org.assembly], due_on=today + datetime.timedelta(days=5)
    )


def test_link_works_once_and_records_channel(org, client, today):
    comm = _comm(org, today)
    ack = comm.acknowledgements.get(person=org.staff)
    url = f"/requirements/link/{make_token(ack)}/"
    assert b"ack-confirm" in client.get(url).content
    response = client.post(url, {"answer": "confirm"}, REMOTE_ADDR="192.0.2.9", HTTP_USER_AGENT="Phone/1")
    assert response.status_code == 200 and b"ack-done" in response.content
    ack.refresh_from_db()
    assert ack.status == AckStatus.ACKNOWLEDGED and ack.channel == "email_link" and ack.ip_address == "192.0.2.9"
    assert ack.link_used_at and ack.user_agent == "Phone/1"
    assert client.get(url).status_code == 409
    assert client.post(url, {"answer": "confirm"}).status_code == 409
    assert "_auth_user_id" not in client.session  # the link never logs anyone in


def test_link_expired_tampered_and_decline_without_reason(org, client, today, settings):
    comm = _comm(org, today)
    ack = comm.acknowledgements.get(person=org.staff)
    token = make_token(ack)
    assert client.get(f"/requirements/link/{token}x/").status_code == 404
    assert client.post(f"/requirements/link/{token}/", {"answer": "decline", "reason": ""}).status_code == 400
    import time_machine

    with time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=settings.SIRIS_ACK_LINK_MAX_AGE_DAYS + 1)
    ):
        response = client.get(f"/requirements/link/{token}/")
    assert response.status_code == 410
    assert Acknowledgement.objects.get(pk=ack.pk).status == AckStatus.PENDING


def test_outsider_cannot_answer_someone_elses_request(org, client_for, today):
    comm = _comm(org, today)
    ack = comm.acknowledgements.get(person=org.staff)
    client = client_for(org.manager)
    assert client.post(f"/requirements/acknowledgements/{ack.pk}/answer/", {"answer": "confirm"}).status_code == 404
    assert client.get(f"/requirements/acknowledgements/{ack.pk}/").status_code == 404


def test_second_answer_says_when(org, client_for, today):
    comm = _comm(org, today)
    ack = comm.acknowledgements.get(person=org.staff)
    client = client_for(org.staff)
    client.post(f"/requirements/acknowledgements/{ack.pk}/answer/", {"answer": "confirm"})
    response = client.post(f"/requirements/acknowledgements/{ack.pk}/answer/", {"answer": "confirm"}, follow=True)
    assert b"already acknowledged" in response.content


def test_tracking_page_same_queries_at_5_and_50_people(org, client_for, today, django_assert_max_num_queries):
    """P1: the tracking page runs a fixed number of queries whatever the audience size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organisation.choices import Role
    from organisation.services import membership_grant
    from tests.personas import make_person

    def grow(start, stop):
        for i in range(start, stop):
            person = make_person(org.root, f"p{i}", "P", f"{i:03}", manager=org.manager)
            membership_grant(actor=org.root, user=person, unit=org.assembly, role=Role.STAFF)

    grow(0, 3)
    comm = _comm(org, today)
    client = client_for(org.qse)
    url = f"/requirements/communications/{comm.pk}/"
    counts = []
    for stop in (None, 48):
        if stop:
            grow(3, stop)
            services.communication_sync_audience(actor=org.qse, communication=comm)
        for ack in comm.acknowledgements.filter(status=AckStatus.PENDING)[:2]:
            services.acknowledgement_confirm(actor=ack.person, ack=ack)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append((comm.acknowledgements.count(), len(ctx.captured_queries)))
    assert counts[0][0] == 5 and counts[1][0] == 50
    assert counts[0][1] == counts[1][1], counts
    with django_assert_max_num_queries(counts[1][1]):
        client.get(url + "?status=&format=")


def test_import_dry_run_lists_bad_rows_then_imports_all(org, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organisation.services import person_set_preferences

    # The messages are checked in English; this QSE manager otherwise reads French.
    person_set_preferences(actor=org.root, person=org.qse, language="en")
    client = client_for(org.qse)
    bad = "reference,title,source,text,units\nA-1,First,,Text one,assembly\nA-2,,,Text two,\nA-1,Dup,,x,nowhere\n"
    response = client.post(
        "/requirements/import/",
        {"unit": org.lyon.pk, "step": "check", "file": SimpleUploadedFile("r.csv", bad.encode())},
    )
    body = response.content.decode()
    assert "bad-rows" in body and "title is empty" in body and "repeats line 2" in body and "unknown unit" in body
    assert not Requirement.objects.exists()
    good = "reference;title;text;units\nA-1;First;Text one;assembly\nA-2;Second;Text two;\n"
    client.post(
        "/requirements/import/",
        {"unit": org.lyon.pk, "step": "check", "file": SimpleUploadedFile("r.csv", good.encode())},
    )
    response = client.post("/requirements/import/", {"step": "import"})
    assert response.status_code == 302
    assert set(Requirement.objects.values_list("reference", flat=True)) == {"A-1", "A-2"}
    assert LedgerEntry.objects.get(event_type="REQUIREMENTS_IMPORTED").payload["count"] == 2
    assert not Requirement.objects.get(reference="A-1").applicability.get(unit=org.lyon).applicable


def test_import_refuses_wrong_columns_encoding_and_size(org, client_for, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organisation.services import person_set_preferences
    from requirements import importing

    person_set_preferences(actor=org.root, person=org.qse, language="en")  # messages checked in English
    client = client_for(org.qse)

    def check(name, data):
        return client.post(
            "/requirements/import/", {"unit": org.lyon.pk, "step": "check", "file": SimpleUploadedFile(name, data)}
        ).content.decode()

    assert "Wrong columns" in check("r.csv", b"ref,name\nx,y\n")
    assert "not UTF-8" in check("r.csv", "reference,title,text\nà,é,ç\n".encode("latin-1"))
    assert "readable XLSX" in check("r.xlsx", b"not a zip")
    monkeypatch.setattr(importing, "MAX_ROWS", 10)
    rows = "reference,title,text\n" + "".join(f"R{i},T,X\n" for i in range(11))
    assert "more than 10 rows" in check("r.csv", rows.encode())
    assert not Requirement.objects.exists()
    mail.outbox.clear()


def test_requirement_timeline_shows_reminders_sent_about_its_requests_in_fixed_queries(org, client_for, today):
    """The reminders app ledgers each reminder with target = the acknowledgement request: the
    requirement's page shows them, with the same number of queries at 5 and at 50 people."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.models import ChasedItem
    from organisation.choices import Role
    from organisation.services import membership_grant
    from reminders import scanner, sender
    from tests.personas import make_person

    def grow(start, stop):
        for i in range(start, stop):
            person = make_person(org.root, f"p{i}", "P", f"{i:03}", manager=org.manager)
            membership_grant(actor=org.root, user=person, unit=org.assembly, role=Role.STAFF)

    def remind_everyone():
        ChasedItem.objects.filter(closed_at__isnull=True).update(
            next_reminder_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        scanner.scan()
        sender.send_due()

    grow(0, 3)
    comm = _comm(org, today)
    url = f"/requirements/{comm.requirement_id}/"
    client = client_for(org.qse)
    counts = []
    for stop in (None, 48):
        if stop:
            grow(3, stop)
        remind_everyone()
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append((comm.acknowledgements.count(), len(ctx.captured_queries)))
        timeline = response.context["timeline"]
        reminders = [e for e in timeline if e.event_type == "REMINDER_SENT"]
        assert {e.target_type for e in reminders} == {"requirements.acknowledgement"}
        assert len(reminders) == LedgerEntry.objects.filter(event_type="REMINDER_SENT").count()
    assert counts[0][0] == 5 and counts[1][0] == 50
    assert counts[0][1] == counts[1][1], counts
    staff_ack = comm.acknowledgements.get(person=org.staff)
    assert f"Reminder 2 to {org.staff}" in response.content.decode()
    assert LedgerEntry.objects.filter(
        event_type="REMINDER_SENT", target_type="requirements.acknowledgement", target_id=str(staff_ack.pk)
    ).count() == 2


def test_tracking_page_reminds_a_pending_person_now(org, client_for, today, mailoutbox):
    """The QSE manager's "Remind now" on a pending row sends that person a reminder, recorded."""
    from core.models import LedgerEntry
    from reminders import sender

    comm = _comm(org, today)
    ack = comm.acknowledgements.get(person=org.staff)
    client = client_for(org.qse)
    url = f"/requirements/communications/{comm.pk}/"
    page = client.get(url).content.decode()
    assert "Remind now" in page and f'name="target_id" value="{ack.pk}"' in page
    response = client.post("/reminders/remind/", {
        "target_type": "requirements.acknowledgement", "target_id": str(ack.pk), "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert sender.send_due().sent == 1
    assert [m.to for m in mailoutbox] == [[org.staff.email]]
    assert LedgerEntry.objects.filter(event_type="REMINDER_REQUESTED", actor=org.qse).count() == 1
