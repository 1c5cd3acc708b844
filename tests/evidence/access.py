from django.core.files.uploadedfile import SimpleUploadedFile

from evidence import services
from tests.access.matrix import Route, api_expect, expect

# Records in Assembly: visible to admin, qse (Lyon), manager and staff (Assembly), the Lyon auditor.
IN_ASSEMBLY = expect(200, sibling=404, outsider=404, auditor_expired=404)
WRITE_ASSEMBLY = expect(403, admin=200, qse=200, sibling=404, outsider=404, auditor_expired=404)
DOSSIER_ASSEMBLY = expect(200, staff=403, sibling=404, outsider=404, auditor_expired=404)


def issued_dossier(org, unit):
    """A dossier marked issued without rendering (the matrix is about access, not PDFs)."""
    req = services.dossier_request(actor=org.qse, kind="scope", unit=unit, period_start=org.lyon.created_at.date(),
                                   period_end=org.lyon.created_at.date())
    services.dossier_render_begin(request_id=req.pk)
    return services.dossier_issue(request_id=req.pk, pdf=b"%PDF-1.7 matrix\n%%EOF\n", pages=1)


def routes(org):
    ev = services.evidence_attach(actor=org.qse, target=org.assembly,
                                  upload=SimpleUploadedFile("check.txt", b"guard checked\n"), title="Guard")
    req = issued_dossier(org, org.assembly)
    target = f"organisation.unit:{org.assembly.pk}"
    return {
        "evidence:evidence_list": Route("/evidence/", expect(200)),
        "evidence:evidence_upload": Route(f"/evidence/attach/?target={target}", WRITE_ASSEMBLY),
        "evidence:evidence_detail": Route(f"/evidence/files/{ev.pk}/", IN_ASSEMBLY),
        "evidence:evidence_supersede": Route(f"/evidence/files/{ev.pk}/new-version/", WRITE_ASSEMBLY),
        "evidence:evidence_download": Route(f"/evidence/files/{ev.pk}/download/", IN_ASSEMBLY),
        "evidence:dossier_list": Route("/evidence/dossiers/", expect(403, admin=200, qse=200, manager=200,
                                                                      auditor=200)),
        "evidence:dossier_create": Route("/evidence/dossiers/new/", expect(403, admin=200, qse=200, manager=200)),
        "evidence:dossier_record": Route("/evidence/dossiers/record/", expect(
            403, admin=302, qse=302, manager=302, sibling=404, outsider=404, auditor_expired=404),
            method="POST", data={"target": target}),
        "evidence:dossier_detail": Route(f"/evidence/dossiers/{req.pk}/", DOSSIER_ASSEMBLY),
        "evidence:dossier_progress": Route(f"/evidence/dossiers/{req.pk}/progress/", DOSSIER_ASSEMBLY),
        "evidence:dossier_download": Route(f"/evidence/dossiers/{req.pk}/download/", DOSSIER_ASSEMBLY),
        # Auditors see the dossier but may not ask for anything: 403 from the service's check.
        "evidence:dossier_retry": Route(f"/evidence/dossiers/{req.pk}/retry/", expect(
            403, admin=302, qse=302, manager=302, sibling=404, outsider=404, auditor_expired=404), method="POST"),
        "evidence:duerp_versions": Route(f"/evidence/duerp/{org.lyon.pk}/", expect(
            404, admin=200, qse=200, auditor=200)),
        "evidence:verify": Route("/evidence/verify/", expect(200, anonymous=200)),
        "evidence:access_log": Route("/evidence/access-log/", expect(403, admin=200)),
        "evidence-list": Route("/api/v1/evidence/", api_expect(200)),
        "evidence-detail": Route(f"/api/v1/evidence/{ev.pk}/", api_expect(200, sibling=404, outsider=404,
                                                                          auditor_expired=404)),
        "evidence-download": Route(f"/api/v1/evidence/{ev.pk}/download/", api_expect(
            200, sibling=404, outsider=404, auditor_expired=404)),
        "evidence-new-version": Route(f"/api/v1/evidence/{ev.pk}/new-version/", api_expect(
            403, admin=400, qse=400, sibling=404, outsider=404, auditor_expired=404), method="POST"),
        "dossier-list": Route("/api/v1/dossiers/", api_expect(200)),
        "dossier-detail": Route(f"/api/v1/dossiers/{req.pk}/", api_expect(200, staff=404, sibling=404, outsider=404,
                                                                          auditor_expired=404)),
        "dossier-download": Route(f"/api/v1/dossiers/{req.pk}/download/", api_expect(
            200, staff=404, sibling=404, outsider=404, auditor_expired=404)),
        # Public: anyone holding a file may check it.
        "dossier-verify": Route("/api/v1/dossiers/verify/", expect(200, anonymous=200), method="POST",
                                data={"sha256": req.sha256}),
    }
