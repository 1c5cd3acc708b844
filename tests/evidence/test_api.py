import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import AccessLog
from evidence import services
from evidence.models import DossierRequest, Evidence
from tests.evidence.conftest import dossier_bytes, render_now, upload

pytestmark = pytest.mark.django_db


def test_upload_list_download(org, api_for):
    api = api_for(org.qse)
    response = api.post("/api/v1/evidence/", {
        "record": f"organisation.unit:{org.assembly.pk}", "file": SimpleUploadedFile("r.txt", b"report\n"),
        "title": "Report", "effective_on": timezone.localdate().isoformat()}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(b"report\n").hexdigest() and body["kind"] == "txt"
    listed = api.get("/api/v1/evidence/", {"target_type": "organisation.unit"}).json()
    assert [e["id"] for e in listed["results"]] == [body["id"]]
    download = api.get(f"/api/v1/evidence/{body['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"report\n"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AccessLog.objects.filter(kind="download", target_id=str(body["id"])).exists()


def test_upload_refusals_in_the_one_error_shape(org, api_for, settings):
    api = api_for(org.qse)
    record = f"organisation.unit:{org.lyon.pk}"
    response = api.post("/api/v1/evidence/", {"record": record, "file": SimpleUploadedFile("e.txt", b"")},
                        format="multipart")
    assert response.status_code == 400 and "empty" in response.json()["error"]["fields"]["file"][0]
    settings.SIRIS_UPLOAD_MAX_BYTES = 1000
    response = api.post("/api/v1/evidence/", {"record": record, "file": SimpleUploadedFile("b.txt", b"a" * 5000)},
                        format="multipart")
    assert response.status_code == 400 and "larger than the limit" in response.json()["error"]["message"]
    response = api.post("/api/v1/evidence/", {"record": "nosuch.model:1", "file": upload()}, format="multipart")
    assert response.status_code == 404
    assert api_for(org.manager).post("/api/v1/evidence/", {"record": record, "file": upload()},
                                     format="multipart").status_code == 404
    assert api_for(org.auditor).post("/api/v1/evidence/", {"record": record, "file": upload()},
                                     format="multipart").status_code == 403
    assert not Evidence.objects.exists()


def test_new_version(org, api_for):
    ev = services.evidence_attach(actor=org.qse, target=org.lyon, upload=upload())
    response = api_for(org.qse).post(f"/api/v1/evidence/{ev.pk}/new-version/", {
        "file": SimpleUploadedFile("v2.txt", b"two\n"), "reason": "renewed"}, format="multipart")
    assert response.status_code == 201 and response.json()["supersedes"] == ev.pk
    again = api_for(org.qse).post(f"/api/v1/evidence/{ev.pk}/new-version/", {
        "file": SimpleUploadedFile("v3.txt", b"three\n"), "reason": "again"}, format="multipart")
    assert again.status_code == 409


def test_dossier_create_status_download_and_verify(org, api_for, django_capture_on_commit_callbacks):
    api = api_for(org.qse)
    assert api.post("/api/v1/dossiers/", {"kind": "scope", "unit": org.lyon.pk}, format="json").status_code == 400
    with django_capture_on_commit_callbacks():
        response = api.post("/api/v1/dossiers/", {"kind": "record", "record": f"organisation.unit:{org.paint.pk}"},
                            format="json")
    assert response.status_code == 201 and response.json()["status"] == "queued"
    pk = response.json()["id"]
    assert api.get(f"/api/v1/dossiers/{pk}/download/").status_code == 400
    req = render_now(DossierRequest.objects.get(pk=pk))
    status = api.get(f"/api/v1/dossiers/{pk}/").json()
    assert status["status"] == "done" and status["progress"] == 100 and status["sha256"] == req.sha256
    pdf = b"".join(api.get(f"/api/v1/dossiers/{pk}/download/").streaming_content)
    assert pdf == dossier_bytes(req)
    anonymous = api_for(None)
    result = anonymous.post("/api/v1/dossiers/verify/", {"file": SimpleUploadedFile("d.pdf", pdf)}, format="multipart")
    assert result.status_code == 200 and result.json()["issued"] and result.json()["reference"] == req.reference
    result = anonymous.post("/api/v1/dossiers/verify/", {"sha256": "f" * 64}, format="json").json()
    assert result == {"sha256": "f" * 64, "issued": False, "reference": None, "kind": None, "scope": None,
                      "issued_at": None, "ledger_seq": None}
    assert anonymous.post("/api/v1/dossiers/verify/", {"sha256": "x"}, format="json").status_code == 400


def test_dossiers_outside_scope_are_404(org, api_for):
    assert api_for(org.outsider).post("/api/v1/dossiers/", {"kind": "inquiry", "unit": org.lyon.pk,
                                                            "as_of": timezone.localdate().isoformat()},
                                      format="json").status_code == 404
    assert api_for(org.auditor).post("/api/v1/dossiers/", {"kind": "duerp", "unit": org.lyon.pk},
                                     format="json").status_code == 403
