import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import AccessLog
from evidence import services
from evidence.models import DossierRequest, Evidence
from tests.evidence.conftest import dossier_bytes, render_now, upload

pytestmark = pytest.mark.django_db


def test_attach_through_the_screen(org, client_for):
    client = client_for(org.qse)
    url = f"/evidence/attach/?target=organisation.unit:{org.assembly.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("Report.pdf", b"%PDF-1.4\n%%EOF\n"), "title": "Report",
                                 "effective_on": timezone.localdate().isoformat()})
    ev = Evidence.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evidence/files/{ev.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert ev.sha256 in page and "Report.pdf" in page and "Evidence attached" in page


def test_upload_checks_csrf_after_the_cap(org, client_for):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.qse, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(f"/evidence/attach/?target=organisation.unit:{org.lyon.pk}",
                           {"file": upload(), "effective_on": timezone.localdate().isoformat()})
    assert response.status_code == 403 and not Evidence.objects.exists()


def test_new_version_screen(org, client_for):
    ev = services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload())
    client = client_for(org.admin)
    response = client.post(f"/evidence/files/{ev.pk}/new-version/", {
        "file": SimpleUploadedFile("v2.txt", b"v2\n"), "effective_on": timezone.localdate().isoformat(),
        "reason": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(f"/evidence/files/{ev.pk}/new-version/", {
        "file": SimpleUploadedFile("v2.txt", b"v2\n"), "effective_on": timezone.localdate().isoformat(),
        "reason": "renewed"})
    new = Evidence.objects.get(version=2)
    assert response["Location"] == f"/evidence/files/{new.pk}/"
    old_page = client.get(f"/evidence/files/{ev.pk}/").content.decode()
    assert "Replaced" in old_page and "Upload a new version" not in old_page


def test_evidence_list_filters_and_csv(org, client_for, django_assert_max_num_queries):
    for i in range(5):
        services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload(f"f{i}.txt", f"{i}\n".encode()),
                                 title=f"File {i}")
    client = client_for(org.qse)
    with django_assert_max_num_queries(12):
        small = client.get("/evidence/?q=File+3")
    assert "File 3" in small.content.decode() and "File 2" not in small.content.decode()
    csv = b"".join(client.get("/evidence/?q=File&format=csv").streaming_content).decode()
    assert csv.count("\r\n") == 6 and "File 4" in csv  # the header and the five rows
    for i in range(5, 50):
        services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload(f"f{i}.txt", f"{i}\n".encode()),
                                 title=f"File {i}")
    with django_assert_max_num_queries(12):
        assert client.get("/evidence/").status_code == 200


def test_dossier_list_same_queries_at_5_and_50(org, client_for, django_assert_max_num_queries):
    from tests.evidence.access import issued_dossier

    for _ in range(5):
        issued_dossier(org, org.lyon)
    client = client_for(org.qse)
    with django_assert_max_num_queries(12):
        client.get("/evidence/dossiers/")
    for _ in range(45):
        issued_dossier(org, org.lyon)
    with django_assert_max_num_queries(12):
        assert client.get("/evidence/dossiers/").content.decode().count("D-") >= 50


def test_request_a_dossier_then_progress_then_download(org, client_for, django_capture_on_commit_callbacks):
    client = client_for(org.qse)
    today = timezone.localdate()
    response = client.post("/evidence/dossiers/new/", {"kind": "inquiry", "unit": org.assembly.pk, "as_of": ""})
    assert response.status_code == 400 and "needs the date of the event" in response.content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/evidence/dossiers/new/", {"kind": "inquiry", "unit": org.assembly.pk,
                                                           "as_of": today.isoformat()})
    req = DossierRequest.objects.get()
    assert response["Location"] == f"/evidence/dossiers/{req.pk}/" and len(callbacks) == 1
    fragment = client.get(f"/evidence/dossiers/{req.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "Download" not in fragment
    render_now(req)
    fragment = client.get(f"/evidence/dossiers/{req.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and f"/evidence/dossiers/{req.pk}/download/" in fragment
    response = client.get(f"/evidence/dossiers/{req.pk}/download/")
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == req.sha256
    assert AccessLog.objects.filter(kind="download", target_type="evidence.dossierrequest").count() == 1


def test_record_dossier_button(org, client_for):
    client = client_for(org.qse)
    response = client.post("/evidence/dossiers/record/", {"target": f"organisation.unit:{org.paint.pk}"})
    req = DossierRequest.objects.get()
    assert response.status_code == 302 and req.kind == "record" and req.unit == org.paint
    assert client.post("/evidence/dossiers/record/", {"target": "nosuch.model:1"}).status_code == 404
    assert client.post("/evidence/dossiers/record/", {"target": f"organisation.unit:{org.warehouse.pk}"}
                       ).status_code == 404


# --- verification ---------------------------------------------------------------------------------

@pytest.fixture
def issued(org):
    return render_now(services.dossier_request(actor=org.admin, kind="duerp", unit=org.lyon))


def test_verify_page_accepts_the_issued_file_and_refuses_one_changed_byte(issued, client):
    data = dossier_bytes(issued)
    page = client.post("/evidence/verify/", {"file": SimpleUploadedFile("d.pdf", data)}).content.decode()
    assert "Siris issued this dossier." in page and issued.reference in page and "DUERP" in page
    tampered = bytearray(data)
    tampered[len(tampered) // 2] ^= 0x01
    page = client.post("/evidence/verify/", {"file": SimpleUploadedFile("d.pdf", bytes(tampered))}).content.decode()
    assert "did not issue" in page and issued.reference not in page
    page = client.post("/evidence/verify/", {"sha256": issued.sha256.upper()}).content.decode()
    assert "Siris issued this dossier." in page
    # Nothing more than whether, when, kind and scope: no requester, no contents.
    assert issued.requested_by.get_full_name() not in page and "download" not in page.lower()


def test_verify_page_refuses_bad_input(client):
    response = client.post("/evidence/verify/", {"sha256": "not-a-hash"})
    assert response.status_code == 400 and "64 characters" in response.content.decode()
    response = client.post("/evidence/verify/", {})
    assert response.status_code == 400 and "Upload the file or give its fingerprint" in response.content.decode()


def test_verify_needs_the_ledger_entry(issued):
    from evidence.selectors import verify_hash

    assert verify_hash(issued.sha256).issued
    assert not verify_hash("0" * 64).issued


def test_verify_dossier_command(issued, tmp_path, capsys):
    good = tmp_path / "good.pdf"
    good.write_bytes(dossier_bytes(issued))
    call_command("verify_dossier", str(good))
    out = capsys.readouterr().out
    assert "issued by Siris" in out and issued.reference in out and issued.sha256 in out
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(dossier_bytes(issued) + b"\n")
    with pytest.raises(CommandError):
        call_command("verify_dossier", str(bad))
    assert "NOT issued" in capsys.readouterr().out


def test_duerp_versions_page(org, client_for, issued):
    second = render_now(services.dossier_request(actor=org.admin, kind="duerp", unit=org.lyon))
    page = client_for(org.auditor).get(f"/evidence/duerp/{org.lyon.pk}/").content.decode()
    assert f"/evidence/dossiers/{issued.pk}/download/" in page and f"/evidence/dossiers/{second.pk}/download/" in page


# --- auditor (J5) ---------------------------------------------------------------------------------

def test_auditor_browses_downloads_and_every_step_is_logged(org, client_for, issued):
    ev = services.evidence_attach(actor=org.qse, target=org.assembly, upload=upload("c.txt", b"cert\n"))
    client = client_for(org.auditor)
    assert client.get("/evidence/dossiers/").status_code == 200
    assert client.get(f"/evidence/dossiers/{issued.pk}/").status_code == 200
    assert client.get(f"/evidence/dossiers/{issued.pk}/download/").status_code == 200
    assert client.get(f"/evidence/files/{ev.pk}/download/").status_code == 200
    # Read-only: no upload, no new dossier.
    assert client.get(f"/evidence/attach/?target=organisation.unit:{org.assembly.pk}").status_code == 403
    assert client.post("/evidence/dossiers/new/", {"kind": "duerp", "unit": org.lyon.pk}).status_code == 403
    logs = AccessLog.objects.filter(user=org.auditor)
    assert {(a.kind, a.path) for a in logs} >= {
        ("view", "/evidence/dossiers/"), ("view", f"/evidence/dossiers/{issued.pk}/"),
        ("download", f"/evidence/dossiers/{issued.pk}/download/"), ("download", f"/evidence/files/{ev.pk}/download/")}
    # The administrator sees it on the access log screen.
    page = client_for(org.admin).get("/evidence/access-log/?person=auditor").content.decode()
    assert f"/evidence/dossiers/{issued.pk}/download/" in page and "Aude Auditor" in page


def test_auditor_access_ends_the_day_after_the_end_date(org, client_for, issued):
    import time_machine

    ends_on = org.auditor.memberships.get().ends_on
    last_day = timezone.make_aware(datetime.datetime.combine(ends_on, datetime.time(23, 0)))
    with time_machine.travel(last_day, tick=False):
        assert client_for(org.auditor).get(f"/evidence/dossiers/{issued.pk}/download/").status_code == 200
    with time_machine.travel(last_day + datetime.timedelta(hours=2), tick=False):
        client = client_for(org.auditor)
        assert client.get(f"/evidence/dossiers/{issued.pk}/download/").status_code == 404
        assert client.get("/evidence/dossiers/").status_code == 403
    assert client_for(org.auditor_expired).get(f"/evidence/dossiers/{issued.pk}/").status_code == 404


def test_auditor_scope_is_the_granted_site(org, client_for):
    ev = services.evidence_attach(actor=org.admin, target=org.warehouse, upload=upload())
    assert client_for(org.auditor).get(f"/evidence/files/{ev.pk}/").status_code == 404


def test_access_log_is_for_administrators_and_scoped(org, client_for):
    AccessLog.objects.create(user=org.outsider, kind="download", path="/x/")
    assert client_for(org.qse).get("/evidence/access-log/").status_code == 403
    page = client_for(org.admin).get("/evidence/access-log/?kind=download").content.decode()
    assert "/x/" in page
    csv = b"".join(client_for(org.admin).get("/evidence/access-log/?format=csv").streaming_content).decode()
    assert "/x/" in csv


def test_my_work_panels(org, client_for, django_assert_max_num_queries):
    today = timezone.localdate()
    services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload(), title="Fire certificate",
                             effective_on=today, expires_on=today + datetime.timedelta(days=10))
    services.dossier_request(actor=org.qse, kind="duerp", unit=org.lyon)
    page = client_for(org.qse).get("/").content.decode()
    assert "Fire certificate" in page and "DUERP" in page


def test_evidence_panel_tag_on_a_record_page(org, rf):
    from django.template import Context, Template

    services.evidence_attach(actor=org.qse, target=org.assembly, upload=upload(), title="Guard photo")
    request = rf.get("/")
    request.user = org.qse
    html = Template("{% load evidence %}{% evidence_panel record %}").render(
        Context({"request": request, "record": org.assembly}))
    assert "Guard photo" in html and "Attach evidence" in html and "Proof dossier" in html
    request.user = org.auditor
    html = Template("{% load evidence %}{% evidence_panel record %}").render(
        Context({"request": request, "record": org.assembly}))
    assert "Guard photo" in html and "Attach evidence" not in html and "Proof dossier" not in html
