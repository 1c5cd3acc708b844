import datetime

import pytest
from django.utils import timezone

from core.models import LedgerEntry
from decisions import services
from decisions.choices import DecisionStatus
from decisions.models import Signature
from tests.decisions.helpers import alarm, decision
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_decision_page_shows_name_time_and_meaning_of_each_signature(org, client_for):
    made = decision(org, submit=True)
    services.decision_sign(actor=org.manager, decision=made, approve=True, password=PASSWORD, comment="Go")
    html = client_for(org.staff).get(f"/decisions/{made.pk}/").content.decode()
    sig = Signature.objects.get()
    assert "Mona Manager" in html and "Approval" in html and sig.content_hash in html
    assert sig.signed_at.isoformat()[:16] in html or "datetime=" in html
    listing = client_for(org.staff).get("/decisions/").content.decode()
    assert "Mona Manager · Approval" in listing


def test_signing_on_the_screen_and_a_wrong_password(org, client_for):
    made = decision(org, submit=True)
    client = client_for(org.manager)
    page = client.get(f"/decisions/{made.pk}/")
    assert "I approve this decision" in page.content.decode()
    refused = client.post(f"/decisions/{made.pk}/sign/", {"password": "wrong", "verdict": "approve"})
    assert refused.status_code == 400
    assert "This is not your password" in refused.content.decode()
    assert LedgerEntry.objects.filter(event_type="SIGNATURE_REFUSED").count() == 1
    done = client.post(f"/decisions/{made.pk}/sign/", {"password": PASSWORD, "verdict": "reject", "comment": "No"})
    assert done.status_code == 302
    made.refresh_from_db()
    assert made.status == DecisionStatus.REJECTED
    again = client.post(f"/decisions/{made.pk}/sign/", {"password": PASSWORD, "verdict": "approve"})
    assert again.status_code == 409
    assert Signature.objects.count() == 1


def test_create_edit_and_submit_on_the_screens(org, client_for):
    client = client_for(org.qse)
    bad = client.post("/decisions/new/", {"unit": org.assembly.pk, "kind": "decision", "subject": "Guard",
                                          "decision_text": "", "approvers": [org.manager.pk]})
    assert bad.status_code == 200 and 'value="Guard"' in bad.content.decode()  # input kept
    made = client.post("/decisions/new/", {"unit": org.assembly.pk, "kind": "decision", "subject": "Guard",
                                           "decision_text": "Replace it", "approvers": [org.manager.pk],
                                           "links": ""})
    assert made.status_code == 302
    pk = int(made.url.rstrip("/").split("/")[-1])
    edit = client.post(f"/decisions/{pk}/edit/", {"unit": org.assembly.pk, "kind": "decision", "subject": "Guard 3",
                                                  "decision_text": "Replace it", "approvers": [org.manager.pk]})
    assert edit.status_code == 302
    assert client.post(f"/decisions/{pk}/submit/").status_code == 302
    frozen = client.get(f"/decisions/{pk}/edit/")
    assert frozen.status_code == 302  # refused, back to the page with a message
    page = client.get(frozen.url).content.decode()
    assert "frozen" in page and "Guard 3" in page


def test_decision_list_filters_csv_and_query_count(org, client_for, django_assert_max_num_queries):
    for n in range(5):
        decision(org, subject=f"Decision {n}", submit=True)
    client = client_for(org.qse)
    with django_assert_max_num_queries(30) as small:
        assert client.get("/decisions/").status_code == 200
    for n in range(45):
        decision(org, subject=f"More {n}", submit=n % 2 == 0)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/decisions/")
    assert page.context["page_obj"].paginator.count == 50
    filtered = client.get("/decisions/", {"status": "draft"})
    assert filtered.context["page_obj"].paginator.count == 22
    csv = client.get("/decisions/", {"status": "draft", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert len(b"".join(csv.streaming_content).decode().strip().splitlines()) == 23


def test_alarm_page_shows_received_read_answered(org, client_for):
    made = alarm(org)
    services.alarm_acknowledge(actor=org.manager, alarm=made)
    html = client_for(org.qse).get(f"/decisions/alarms/{made.pk}/").content.decode()
    assert "Mona Manager" in html and "Read" in html and "Waiting" in html
    client = client_for(org.manager)
    bad = client.post(f"/decisions/alarms/{made.pk}/answer/", {"answer": ""})
    assert bad.status_code == 400
    good = client.post(f"/decisions/alarms/{made.pk}/answer/", {"answer": "Press locked out."})
    assert good.status_code == 302
    html = client_for(org.qse).get(f"/decisions/alarms/{made.pk}/").content.decode()
    assert "Press locked out." in html and "Close the alarm" in html


def test_alarm_is_at_the_top_of_my_work(org, client_for):
    alarm(org, title="Broken guard on press 3")
    decision(org, submit=True, subject="Sign me")
    html = client_for(org.manager).get("/").content.decode()
    assert "Broken guard on press 3" in html and "Sign me" in html
    assert html.index("Alarms addressed to you") < html.index("Decisions to sign")
    first_panel = html.index("siris-panel-")
    assert html[first_panel:].startswith("siris-panel-alarms")


def test_alarm_panel_query_count(org, client_for, django_assert_max_num_queries):
    from decisions.dashboard import alarms_panel

    class Request:
        user = org.manager

    for _ in range(3):
        alarm(org)
    with django_assert_max_num_queries(10) as small:
        alarms_panel(Request())
    for _ in range(20):
        alarm(org)
    with django_assert_max_num_queries(len(small.captured_queries)):
        panel = alarms_panel(Request())
    assert len(panel.context["waiting"]) == 10


def test_raise_an_alarm_on_the_screen(org, client_for):
    client = client_for(org.qse)
    respond_by = (timezone.localtime() + datetime.timedelta(hours=48)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post("/decisions/alarms/new/", {"unit": org.assembly.pk, "title": "Guard", "description": "x",
                                                 "severity": "high", "respond_by": respond_by,
                                                 "addressees": [org.staff.pk]})
    assert bad.status_code == 200  # staff is not offered as an addressee
    made = client.post("/decisions/alarms/new/", {"unit": org.assembly.pk, "title": "Guard", "description": "x",
                                                  "severity": "high", "respond_by": respond_by,
                                                  "addressees": [org.manager.pk]})
    assert made.status_code == 302


def test_alarm_list_query_count_and_csv(org, client_for, django_assert_max_num_queries):
    for _ in range(5):
        alarm(org)
    client = client_for(org.qse)
    with django_assert_max_num_queries(30) as small:
        assert client.get("/decisions/alarms/").status_code == 200
    for _ in range(45):
        alarm(org)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/decisions/alarms/")
    assert page.context["page_obj"].paginator.count == 50
    csv = b"".join(client.get("/decisions/alarms/", {"format": "csv"}).streaming_content).decode()
    assert len(csv.strip().splitlines()) == 51
    assert client_for(org.staff).get("/decisions/alarms/").context["page_obj"].paginator.count == 0


def test_api_lists_keep_their_query_count(org, api_for, django_assert_max_num_queries):
    for _ in range(5):
        decision(org, submit=True)
        alarm(org)
    api = api_for(org.qse)
    with django_assert_max_num_queries(30) as small_d:
        api.get("/api/v1/decisions/")
    with django_assert_max_num_queries(30) as small_a:
        api.get("/api/v1/alarms/")
    for _ in range(20):
        decision(org, submit=True)
        alarm(org)
    with django_assert_max_num_queries(len(small_d.captured_queries)):
        assert api.get("/api/v1/decisions/").json()["count"] == 25
    with django_assert_max_num_queries(len(small_a.captured_queries)):
        assert api.get("/api/v1/alarms/").json()["count"] == 25


def test_record_pages_carry_the_evidence_card(org, client_for):
    made = decision(org)
    warning = alarm(org)
    for url in (f"/decisions/{made.pk}/", f"/decisions/alarms/{warning.pk}/"):
        html = client_for(org.qse).get(url).content.decode()
        assert "siris-evidence-card" in html and 'name="csrfmiddlewaretoken"' in html
